// SPDX-License-Identifier: Apache-2.0
public import CellModel
public import Foundation

/// Vietnam's civil time (UTC+7, no daylight saving): the clock of deadlines, of the dates
/// printed on reports, and of the quarter a day belongs to.
public enum VietnamTime {
    static let offset: TimeInterval = 7 * 3_600

    /// The date and time of day in Vietnam at `date`, to the second.
    public static func civil(_ date: Date) -> SpreadsheetDate {
        let seconds = Int((date.timeIntervalSince1970 + offset).rounded(.down))
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let (y, m, d) = SpreadsheetDate.civil(fromDays: days)
        let s = seconds - days * 86_400
        return SpreadsheetDate(year: y, month: m, day: d, hour: s / 3_600, minute: s / 60 % 60, second: s % 60, hasTime: true)
    }

    /// "15/10/2026": the last day on time before `deadline` (the moment after which a file is
    /// late), as a notice writes it.
    public static func lastDayText(before deadline: Date) -> String {
        let d = civil(deadline.addingTimeInterval(-1))
        return "\(d.day)/\(d.month)/\(d.year)"
    }

    /// "07/12/2026 15:42": a moment to the minute in Vietnam, as an answer to a unit gives the
    /// time its file was received (the clerk's clock, not the server's UTC).
    public static func readable(_ date: Date) -> String {
        let t = civil(date)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(t.day))/\(two(t.month))/\(t.year) \(two(t.hour)):\(two(t.minute))"
    }

    /// "07/12/2026 15:42 (giờ Việt Nam)", "07/12/2026 15:42 (Vietnam time, UTC+7)".
    public static func received(_ date: Date) -> LocalizedText {
        LocalizedText(vi: readable(date) + " (giờ Việt Nam)", en: readable(date) + " (Vietnam time, UTC+7)")
    }

    /// The moment a day begins in Vietnam.
    public static func start(of day: SpreadsheetDate) -> Date {
        Date(timeIntervalSince1970: Double(SpreadsheetDate.days(day.year, day.month, day.day)) * 86_400 - offset)
    }
}

extension Period {
    /// The quarter's first day.
    public var firstDay: SpreadsheetDate { SpreadsheetDate(year: year, month: quarter * 3 - 2, day: 1) }

    /// The quarter's last day.
    public var lastDay: SpreadsheetDate {
        let (y, m, d) = SpreadsheetDate.civil(fromDays: SpreadsheetDate.days(next.year, next.quarter * 3 - 2, 1) - 1)
        return SpreadsheetDate(year: y, month: m, day: d)
    }

    /// The quarter `day` falls in.
    public static func containing(_ day: SpreadsheetDate) -> Period {
        Period(year: day.year, quarter: (day.month - 1) / 3 + 1)!
    }
}
