// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The statistics, alone: used by the validator and by the outlier benchmark.
public enum OutlierStatistics {
    /// The powers of ten a value typed in the wrong unit or with zeros too many or too few is off by.
    static let magnitudes = [6, 3, 2, 1]

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// What a value is judged against: a centre and a spread on the log10 scale.
    public struct Reference: Sendable {
        public var centre: Double
        public var spread: Double
        public var count: Int
    }

    /// The reference of `values` (earlier values most recent first, or peers' values): the
    /// centre is the median of the `recent` first ones (all when nil), the spread 1.4826 × the
    /// median absolute deviation of all of them on a log10 scale, at least `floor`. Nil: fewer
    /// than `minimum` positive values.
    public static func reference(_ values: [Double], minimum: Int, recent: Int? = nil, floor: Double) -> Reference? {
        let logs = values.filter { $0 > 0 && $0.isFinite }.map(log10)
        guard logs.count >= minimum, !logs.isEmpty else { return nil }
        let centre = median(recent.map { Array(logs.prefix($0)) } ?? logs)
        let middle = median(logs)
        return Reference(centre: centre, spread: max(floor, 1.4826 * median(logs.map { abs($0 - middle) })), count: logs.count)
    }

    /// Judges `value` against `references` (see `reference`). Nil: not an outlier, or nothing
    /// to judge by (zero or negative values, too few references).
    public static func judge(_ value: Double, references: [Double], minimum: Int, recent: Int? = nil,
                             floor: Double, threshold: Double) -> OutlierJudgement? {
        reference(references, minimum: minimum, recent: recent, floor: floor).flatMap { judge(value, against: $0, threshold: threshold) }
    }

    /// The n of a value about 10ⁿ times what was expected, `distance` away on the log scale: named
    /// only when undoing it brings the value well back among what was expected — within a factor
    /// of 2 of 10ⁿ times the centre, and within half the threshold of `spread` once undone (four
    /// or five times the usual is not "a zero too many"). `spread` nil: the first alone.
    static func magnitude(_ distance: Double, spread: Double?, threshold: Double) -> Int? {
        var magnitude: Int?
        var closest = Double.infinity
        for m in magnitudes {
            let n = distance > 0 ? m : -m
            let left = abs(distance - Double(n))
            if left <= 0.3 && spread.map({ left / $0 <= threshold / 2 }) != false && left < closest {
                magnitude = n
                closest = left
            }
        }
        return magnitude
    }

    /// Judges `value` against a reference already worked out (the peers', once per file).
    public static func judge(_ value: Double, against r: Reference, threshold: Double) -> OutlierJudgement? {
        guard value > 0, value.isFinite else { return nil }
        let distance = log10(value) - r.centre
        let score = distance / r.spread
        guard abs(score) > threshold else { return nil }
        let magnitude = Self.magnitude(distance, spread: r.spread, threshold: threshold)
        return OutlierJudgement(factor: pow(10, distance), score: score, magnitude: magnitude,
                                low: pow(10, r.centre - threshold * r.spread), high: pow(10, r.centre + threshold * r.spread))
    }
}
