// SPDX-License-Identifier: Apache-2.0
/// A reporting quarter, written `2025-Q3`.
public struct Period: Hashable, Sendable, Comparable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public let year: Int
    /// 1 to 4.
    public let quarter: Int

    public init?(year: Int, quarter: Int) {
        guard (1...4).contains(quarter), (1900...9999).contains(year) else { return nil }
        self.year = year
        self.quarter = quarter
    }

    /// Parses `YYYY-Qn` (the `Q` in either case).
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]),
              parts[1].count == 2, parts[1].first == "Q", let q = Int(parts[1].dropFirst()) else { return nil }
        self.init(year: y, quarter: q)
    }

    public var description: String { "\(year)-Q\(quarter)" }

    /// "Quý III năm 2025", as official forms print it.
    public var vietnameseTitle: String {
        "Quý \(["I", "II", "III", "IV"][quarter - 1]) năm \(year)"
    }

    public var sameQuarterLastYear: Period { Period(year: year - 1, quarter: quarter)! }

    public var previous: Period {
        quarter == 1 ? Period(year: year - 1, quarter: 4)! : Period(year: year, quarter: quarter - 1)!
    }

    public var next: Period {
        quarter == 4 ? Period(year: year + 1, quarter: 1)! : Period(year: year, quarter: quarter + 1)!
    }

    /// The quarters of this year up to and including this one.
    public var quartersToDate: [Period] { (1...quarter).map { Period(year: year, quarter: $0)! } }

    public static func < (lhs: Period, rhs: Period) -> Bool {
        (lhs.year, lhs.quarter) < (rhs.year, rhs.quarter)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let p = Period(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a period like 2025-Q3: \(text)"))
        }
        self = p
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
