// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation

extension WorkbookReader {
    /// Parses the ISO 8601 text of a `t="d"` cell: `YYYY-MM-DD`, optionally followed by
    /// `THH:MM[:SS[.fff]]`, or a time alone. A zone (`Z`, `+07:00`) is dropped: cells hold wall
    /// time. A time alone is that fraction of day 0, as Excel stores a typed time; seconds are
    /// rounded as Excel shows them, like serials.
    static func parseISODate(_ text: String, date1904: Bool) -> SpreadsheetDate? {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        func number(_ digits: Int) -> Int? {
            let part = s.prefix(digits)
            guard part.count == digits, part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            s = s.dropFirst(digits)
            return Int(part)
        }
        func take(_ c: Character) -> Bool {
            guard s.first == c else { return false }
            s = s.dropFirst()
            return true
        }
        var date: (Int, Int, Int)?
        if s.count >= 10, s.dropFirst(4).first == "-" {
            guard let y = number(4), take("-"), let m = number(2), take("-"), let d = number(2),
                  (1...12).contains(m), (1...31).contains(d), SpreadsheetDate.civil(fromDays: SpreadsheetDate.days(y, m, d)) == (y, m, d)
            else { return nil }
            date = (y, m, d)
            guard take("T") || take(" ") || s.isEmpty else { return nil }
        }
        var seconds: Double?
        if !s.isEmpty {
            guard let h = number(2), take(":"), let mi = number(2), h <= 24, mi <= 59 else { return nil }
            var sec = 0.0
            if take(":") {
                guard let whole = number(2), whole <= 60 else { return nil }
                sec = Double(whole)
                if take(".") || take(",") {
                    let fraction = s.prefix(while: { $0.isASCII && $0.isNumber })
                    guard !fraction.isEmpty, let f = Double("0." + fraction) else { return nil }
                    sec += f
                    s = s.dropFirst(fraction.count)
                }
            }
            seconds = Double(h * 3600 + mi * 60) + sec
            // A zone, if any, is all that may follow.
            if take("Z") {
            } else if take("+") || take("-") {
                guard number(2) != nil, (take(":") ? number(2) != nil : (s.isEmpty || number(2) != nil)) else { return nil }
            }
            guard s.isEmpty else { return nil }
        }
        guard let (y, m, d) = date else {
            return seconds.flatMap { SpreadsheetDate(serial: $0 / 86_400, date1904: date1904, hasTime: true) }
        }
        guard let seconds else { return SpreadsheetDate(year: y, month: m, day: d) }
        let rounded = Int(seconds.rounded())
        let (y2, m2, d2) = SpreadsheetDate.civil(fromDays: SpreadsheetDate.days(y, m, d) + rounded / 86_400)
        let r = rounded % 86_400
        return SpreadsheetDate(year: y2, month: m2, day: d2, hour: r / 3600, minute: r / 60 % 60, second: r % 60, hasTime: true)
    }
}
