// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import RuralStatCore
@testable import RuralStatDaemon
import Testing

/// When the dated messages fall due, in Vietnam time, for 2026-Q3 (its last day 30/9, files
/// due 15 days later: the deadline is 16/10 00:00, the last day on time 15/10).
@Suite struct MailCalendarTests {
    let q3 = Period(year: 2026, quarter: 3)!
    let calendar = MailCalendar(remindDaysBefore: [7, 1], firstPeriod: nil, deadlineDays: 15)

    /// A moment in Vietnam time.
    func vn(_ month: Int, _ day: Int, _ hour: Int, minute: Int = 0) -> Date {
        VietnamTime.start(of: .init(year: 2026, month: month, day: day)).addingTimeInterval(Double(hour * 3_600 + minute * 60))
    }

    @Test func remindersGoOutAtEightOnTheirDayAndOnlyTheLatestWhenCatchingUp() {
        #expect(calendar.due(at: vn(10, 9, 7, minute: 59)).isEmpty)
        #expect(calendar.due(at: vn(10, 9, 8)) == [.reminder(q3, daysBefore: 7)])
        #expect(calendar.due(at: vn(10, 14, 23)) == [.reminder(q3, daysBefore: 7)])
        // The last day: the 1-day reminder, not the 7-day one as well.
        #expect(calendar.due(at: vn(10, 15, 8)) == [.reminder(q3, daysBefore: 1)])
        #expect(calendar.due(at: vn(10, 15, 23, minute: 59)) == [.reminder(q3, daysBefore: 1)])
    }

    @Test func theMorningAfterTheLastDayBringsTheDeadlineMessagesAndNoReminder() {
        // Midnight to eight: neither a reminder (the deadline has passed) nor the deadline messages yet.
        #expect(calendar.due(at: vn(10, 16, 0, minute: 1)).isEmpty)
        #expect(calendar.due(at: vn(10, 16, 8)) == [.overdue(q3), .deadline(q3)])
        // A daemon stopped for six days still sends them; after a week, not any more.
        #expect(calendar.due(at: vn(10, 22, 7)) == [.overdue(q3), .deadline(q3)])
        #expect(calendar.due(at: vn(10, 23, 9)).isEmpty)
        #expect(calendar.next(after: vn(10, 15, 9)) == vn(10, 16, 8))
    }

    @Test func noReminderBeforeTheQuarterIsOverNorBeforeTheFirstPeriod() {
        // Reminding 20 days before a deadline 15 days after the quarter would fall inside the quarter.
        let early = MailCalendar(remindDaysBefore: [20], firstPeriod: nil, deadlineDays: 15)
        #expect(early.due(at: vn(9, 26, 9)).isEmpty)
        #expect(early.due(at: vn(10, 2, 9)).isEmpty)
        let later = MailCalendar(remindDaysBefore: [7, 1], firstPeriod: Period(year: 2026, quarter: 4)!, deadlineDays: 15)
        #expect(later.due(at: vn(10, 9, 9)).isEmpty)
        #expect(later.due(at: vn(10, 16, 9)).isEmpty)
    }

    @Test func eachMessageHasItsOwnLogKey() {
        #expect(MailCalendar.Event.reminder(q3, daysBefore: 7).logKey(unit: "10525") == ("reminder", "2026-Q3/7/10525"))
        #expect(MailCalendar.Event.overdue(q3).logKey(unit: "10525") == ("overdue", "2026-Q3/10525"))
        #expect(MailCalendar.Event.deadline(q3).logKey() == ("deadline", "2026-Q3"))
    }
}
