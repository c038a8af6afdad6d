// SPDX-License-Identifier: Apache-2.0
/// A calendar date and time of day as a spreadsheet stores it, without a time zone.
public struct SpreadsheetDate: Hashable, Sendable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public var hour = 0, minute = 0, second = 0
    /// False when the cell's format shows only a date.
    public var hasTime = false

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, hasTime: Bool = false) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second) = (hour, minute, second)
        self.hasTime = hasTime
    }

    /// ISO 8601: `2025-09-30`, or `2025-09-30T08:15:00` when the time is shown.
    public var description: String {
        let d = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        return hasTime ? d + "T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))" : d
    }

    private func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Converts a serial day number to a date. In the 1900 system serial 60 is the
    /// non-existent 1900-02-29 that Excel keeps for Lotus compatibility.
    public init?(serial: Double, date1904: Bool, hasTime: Bool) {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 { days += 1; seconds -= 86_400 }
        let ymd: (Int, Int, Int)
        if date1904 {
            ymd = Self.civil(fromDays: Self.days(1904, 1, 1) + days)
        } else if days == 60 {
            ymd = (1900, 2, 29)
        } else if days < 60 {
            ymd = Self.civil(fromDays: Self.days(1899, 12, 31) + days)
        } else {
            ymd = Self.civil(fromDays: Self.days(1899, 12, 30) + days)
        }
        self.init(year: ymd.0, month: ymd.1, day: ymd.2,
                  hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60, hasTime: hasTime)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    public static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// The value of one non-empty cell exactly as the file stores it.
public enum CellValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)
    /// An error value such as `#N/A` or `#DIV/0!`.
    case error(String)
    /// A number shown with a date format, or a `t="d"` cell.
    case date(SpreadsheetDate)
    /// A formula whose result was never computed and saved (no cached value).
    case formula(String)

    public var description: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return Self.format(n)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .error(let e): return e
        case .date(let d): return d.description
        case .formula(let f): return "=" + f
        }
    }

    /// Shortest text that reads back as the same number; integers without ".0".
    public static func format(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return "\(n)"
    }
}

/// One worksheet's non-empty cells, and the ranges merged on it.
public struct SheetCells: Sendable {
    public var name: String
    public var cells: [CellAddress: CellValue] = [:]
    public var mergedRanges: [ClosedRange<CellAddress>] = []
    /// Numeric cells shown with a percent format (Excel stores 73 % as 0.73).
    public var percentFormatted: Set<CellAddress> = []
    /// Highest row index holding a value, or -1 when the sheet is empty.
    public var lastRow = -1

    public init(name: String) { self.name = name }

    public subscript(_ row: Int, _ column: Int) -> CellValue? {
        cells[CellAddress(row: row, column: column)]
    }

    public subscript(_ a1: String) -> CellValue? {
        CellAddress(a1: a1).flatMap { cells[$0] }
    }
}
