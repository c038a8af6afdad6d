// SPDX-License-Identifier: Apache-2.0
public import Foundation

/// The periods a province accepts files for: none after the quarter in progress (plus
/// `quartersAhead`), none before its first quarter. A cover dated 2099-Q3 is a typing
/// mistake, not a report, and must not publish `reports/2099-Q3/`.
public struct PeriodWindow: Sendable, Equatable {
    /// The first quarter the province collects; nil: no lower bound.
    public var first: Period?
    /// Quarters after the one in progress that are still accepted. Default 0.
    public var quartersAhead: Int

    public init(first: Period? = nil, quartersAhead: Int = 0) {
        self.first = first
        self.quartersAhead = quartersAhead
    }

    /// The last period accepted for a file received at `date` (Vietnam time decides the quarter).
    public func last(at date: Date) -> Period {
        var p = Period.containing(VietnamTime.civil(date))
        for _ in 0..<max(0, quartersAhead) { p = p.next }
        return p
    }

    /// An error finding when `period` is outside the window, naming the cover's cell.
    /// `held`: the latest period the store already holds accepted files for, asked only for a
    /// period after the clock's window — a clock set back (to 2020, say) must not refuse the
    /// quarters the store shows have come.
    public func check(_ period: Period, at date: Date, held: () -> Period? = { nil }, sheet: String?, cell: String?) -> Finding? {
        var last = last(at: date)
        if period > last, let held = held(), held > last { last = held }
        if period > last {
            return Finding(.error, rule: "cover.period_future", sheet: sheet, cell: cell, value: period.description, message: LocalizedText(
                vi: "Kỳ báo cáo \(period.vietnameseTitle) chưa tới: chỉ nhận báo cáo đến \(last.vietnameseTitle). Kiểm tra lại năm và quý ở trang bìa.",
                en: "The period \(period) has not come yet: reports are accepted up to \(last). Check the year and quarter on the cover."))
        }
        if let first, period < first {
            return Finding(.error, rule: "cover.period_too_early", sheet: sheet, cell: cell, value: period.description, message: LocalizedText(
                vi: "Kỳ báo cáo \(period.vietnameseTitle) trước kỳ đầu tiên tỉnh thu thập (\(first.vietnameseTitle)). Kiểm tra lại năm và quý ở trang bìa.",
                en: "The period \(period) is before the first period the province collects (\(first)). Check the year and quarter on the cover."))
        }
        return nil
    }
}

extension ValidationResult {
    /// The result with `finding` added: an error takes the submission away, so the file is refused.
    public func adding(_ finding: Finding) -> ValidationResult {
        ValidationResult(findings: findings + [finding], submission: finding.severity == .error ? nil : submission,
                         unitCode: unitCode, period: period)
    }
}
