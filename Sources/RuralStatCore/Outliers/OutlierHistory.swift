// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A value against the unit's own earlier values of it, zeros included: the log scale for
/// values above zero, a rule of its own for a value fallen to 0, the noise of a count for a
/// small count, and a history kept clean of the quarters that were out themselves.
public struct OutlierHistory: Sendable {
    /// Fewer earlier values than this: nothing to judge by.
    public var minimum: Int
    /// How many of the most recent earlier values the centre is taken from.
    public var recent = 4
    /// The least spread assumed on the log scale (a steady history).
    public var floor: Double
    /// The least spread assumed when the history holds zeros (a figure that comes in lumps: a
    /// course of 60 trainees in one quarter, none in the next, 45 in a later one).
    public var lumpyFloor: Double
    public var threshold: Double
    /// The figure counts things (an integer): a small count is judged with its own noise too.
    public var count: Bool
    /// A run of this many out-of-line values in a row is a new level, not a slip repeated.
    public var newLevelRun = 3
    /// Whether a 0 after quarters above zero is judged (not for a flow whose history is its
    /// predecessors': their sum over several old communes was never 0, a commune's quarter may be).
    public var judgesZeros = true
    /// The figure is a flow (what happened in the quarter): its 0 is judged only after `recent`
    /// quarters above zero, not `minimum` — a course of trainees two quarters running says little.
    public var flow = false

    public init(minimum: Int, floor: Double, lumpyFloor: Double, threshold: Double, count: Bool, flow: Bool = false) {
        self.flow = flow
        self.minimum = minimum
        self.floor = floor
        self.lumpyFloor = lumpyFloor
        self.threshold = threshold
        self.count = count
    }

    /// Anscombe's transform: a Poisson count's noise is about 1 on this scale, whatever its size.
    static func anscombe(_ x: Double) -> Double { 2 * (max(0, x) + 0.375).squareRoot() }

    /// Judges `value` against `history` (most recent first). Nil: in line, or nothing to judge by.
    public func judge(_ value: Double, history: [Double]) -> OutlierJudgement? {
        judgeClean(value, against: cleaned(history))
    }

    /// `history` without the values that were out against the others (most recent first): a slip
    /// warned and accepted does not narrow or widen what the next quarter is judged against. Each
    /// value is judged against all the other earlier values, not only those before it: judged
    /// against a few, a noisy figure's ordinary values were left out one by one until the
    /// reference was narrower than the figure. Zeros are never left out (they make a figure
    /// lumpy), nothing is left out of fewer than four values, and a run of `newLevelRun` values
    /// out in a row stays: the figure has moved to a new level.
    public func cleaned(_ history: [Double]) -> [Double] {
        guard history.count >= max(minimum, 3) + 1 else { return history }
        var out = history.indices.map { i -> Bool in
            guard history[i] != 0 else { return false }
            var others = history
            others.remove(at: i)
            // Centred on all the others, not the recent ones: two slips in a row would otherwise
            // pull the centre halfway to them and make every ordinary value look out.
            return judgeClean(history[i], against: others, recentOnly: false) != nil
        }
        var start = 0
        while start < out.count {
            guard out[start] else { start += 1; continue }
            var end = start
            while end + 1 < out.count, out[end + 1] { end += 1 }
            if end - start + 1 >= newLevelRun { for k in start...end { out[k] = false } }
            start = end + 1
        }
        return history.indices.filter { !out[$0] }.map { history[$0] }
    }

    /// Judges `value` against a history already cleaned.
    func judgeClean(_ value: Double, against history: [Double], recentOnly: Bool = true) -> OutlierJudgement? {
        guard value.isFinite, value >= 0 else { return nil }
        if value == 0 { return judgeZero(history) }
        let positive = history.filter { $0 > 0 }
        // Lumps are too few and too unlike for a spread: only a value beyond all of them is out
        // (one lump before is enough to be far beyond). A history of zeros alone: the peers judge.
        if history.contains(0), history.count >= minimum { return judgeLump(value, positive) ?? judgeCount(value, history) }
        guard positive.count >= minimum else { return nil }
        guard let r = OutlierStatistics.reference(positive, minimum: minimum, recent: recentOnly ? recent : nil, floor: floor),
              let j = OutlierStatistics.judge(value, against: r, threshold: threshold)
        else { return nil }
        // A count of 2 becoming 6 is three times the usual and still within a count's noise.
        if count, abs(Self.anscombe(value) - Self.anscombe(pow(10, r.centre))) <= threshold { return nil }
        return j
    }

    /// A figure that comes in lumps (its history holds zeros): a value beyond every lump the unit
    /// reported, by more than `threshold` × `lumpyFloor` on the log scale (3.35 times the largest,
    /// or below a 3.35th of the smallest), is out even where the lumps are too few or too unlike
    /// for a spread. The centre named is the lump it is nearest to.
    func judgeLump(_ value: Double, _ positive: [Double]) -> OutlierJudgement? {
        guard let top = positive.max(), let bottom = positive.min(), value > 0 else { return nil }
        let margin = threshold * lumpyFloor
        let v = log10(value)
        let nearest = v > log10(top) ? top : bottom
        guard v - log10(top) > margin || log10(bottom) - v > margin else { return nil }
        if count, abs(Self.anscombe(value) - Self.anscombe(nearest)) <= threshold { return nil }
        let r = OutlierStatistics.Reference(centre: log10(nearest), spread: lumpyFloor, count: positive.count)
        var j = OutlierStatistics.judge(value, against: r, threshold: threshold)
        j?.low = bottom / pow(10, margin)
        j?.high = top * pow(10, margin)
        return j
    }

    /// A count in a history of small counts and zeros (fairs: 1, 0, 2, 1): on Anscombe's scale,
    /// against the history's mean, the spread the larger of a count's noise (1) and the history's
    /// own. Ten fairs where there were at most three is out; four is not.
    func judgeCount(_ value: Double, _ history: [Double]) -> OutlierJudgement? {
        guard count, history.count >= minimum else { return nil }
        let mean = history.reduce(0, +) / Double(history.count)
        let a = history.map(Self.anscombe)
        let aMean = a.reduce(0, +) / Double(a.count)
        let sd = (a.map { ($0 - aMean) * ($0 - aMean) }.reduce(0, +) / Double(max(1, a.count - 1))).squareRoot()
        let spread = max(1, sd)
        let score = (Self.anscombe(value) - Self.anscombe(mean)) / spread
        guard abs(score) > threshold, mean > 0 else { return nil }
        // The range of counts within the threshold, back from Anscombe's scale.
        func back(_ y: Double) -> Double { max(0, (y / 2) * (y / 2) - 0.375) }
        let low = back(Self.anscombe(mean) - threshold * spread), high = back(Self.anscombe(mean) + threshold * spread)
        // No spread on the log scale here: the power of ten is named by how close it comes alone.
        let n = OutlierStatistics.magnitude(log10(value) - log10(mean), spread: nil, threshold: threshold)
        return OutlierJudgement(factor: value / mean, score: score, magnitude: n, low: low, high: high)
    }

    /// A 0 where the quarters before were all above zero, far enough from zero that a count's
    /// noise cannot bring it there (a village's 350 households in the trade, not its 2
    /// cooperatives). The quarters just before may be 0 already (fewer than `newLevelRun`): the
    /// same slip again is named again.
    func judgeZero(_ history: [Double]) -> OutlierJudgement? {
        guard judgesZeros else { return nil }
        let fresh = history.prefix { $0 == 0 }.count
        let before = Array(history.dropFirst(fresh))
        let recent = Array(before.prefix(self.recent))
        guard fresh < newLevelRun, recent.count >= (flow ? self.recent : minimum), !before.contains(0),
              let r = OutlierStatistics.reference(recent, minimum: minimum, floor: floor)
        else { return nil }
        let centre = pow(10, r.centre)
        if count, Self.anscombe(centre) - Self.anscombe(0) <= threshold { return nil }
        var j = OutlierJudgement(factor: 0, score: -.infinity, magnitude: nil,
                                 low: pow(10, r.centre - threshold * r.spread), high: pow(10, r.centre + threshold * r.spread),
                                 fellToZeroFrom: before[0])
        j.zeroQuarters = fresh
        return j
    }

    /// Whether the history is a run of zeros: at least `minimum` values, the recent ones all 0, no
    /// value above zero to judge by. A value after it is judged against the other units.
    public func zerosOnly(_ history: [Double]) -> Bool {
        history.count >= minimum && !history.prefix(recent).contains { $0 > 0 } && history.filter { $0 > 0 }.count < minimum
    }
}
