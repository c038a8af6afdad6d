// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
import RuralStatPublishing

/// When the daemon's dated messages fall due, in Vietnam time: the reminders to units that have
/// no accepted file `remind_days_before` a period's deadline, and, the morning after its last
/// day, the note to those still missing and the managers' summary of who sent on time.
///
/// Every message goes out at 08:00 Vietnam time of its day. A daemon that was stopped catches up
/// when it starts again, within limits a reader would expect: of the reminders only the latest
/// one due is sent, and none once the deadline has passed; the deadline messages are sent up to
/// `catchUpDays` late, never for a quarter long gone (a site that turns mail on does not mail
/// about every past quarter).
public struct MailCalendar: Sendable {
    public enum Event: Hashable, Sendable, CustomStringConvertible {
        /// "N days left" to the units of the period with nothing accepted.
        case reminder(Period, daysBefore: Int)
        /// The morning after the last day: to the units still without an accepted file.
        case overdue(Period)
        /// The morning after the last day: to the managers, who sent on time, late, or not at all.
        case deadline(Period)

        public var period: Period {
            switch self {
            case .reminder(let p, _), .overdue(let p), .deadline(let p): p
            }
        }

        /// The mail log's kind and key (per unit for the units' messages, so that a restart part
        /// way through mails each unit once).
        public func logKey(unit: String? = nil) -> (kind: String, key: String) {
            switch self {
            case .reminder(let p, let n): ("reminder", "\(p)/\(n)/" + (unit ?? ""))
            case .overdue(let p): ("overdue", "\(p)/" + (unit ?? ""))
            case .deadline(let p): ("deadline", p.description)
            }
        }

        public var description: String {
            switch self {
            case .reminder(let p, let n): "reminder \(n) day(s) before the deadline of \(p)"
            case .overdue(let p): "overdue notice for \(p)"
            case .deadline(let p): "deadline summary for \(p)"
            }
        }
    }

    /// Days before the deadline on which units with nothing accepted are reminded (`[7, 1]`).
    public var remindDaysBefore: [Int]
    /// Files are due this many days after the quarter's end (`reporting.deadline_days`).
    public var deadlineDays: Int
    /// The first quarter the province collects: nothing is due for an earlier one.
    public var firstPeriod: Period?
    /// How late a missed deadline message may still go out.
    public var catchUpDays: Double = 7

    /// The hour of the day, Vietnam time, at which every dated message goes out.
    static let sendingHour: TimeInterval = 8 * 3_600

    public init(remindDaysBefore: [Int], firstPeriod: Period?, deadlineDays: Int) {
        self.remindDaysBefore = remindDaysBefore
        self.firstPeriod = firstPeriod
        self.deadlineDays = deadlineDays
    }

    /// The moment after which a file for `period` is late.
    public func deadline(_ period: Period) -> Date { PeriodQuery.deadline(period, days: deadlineDays) }

    /// When the reminder `daysBefore` of `period` goes out: 08:00 on the day that leaves that
    /// many days, the last day counting as one (`1` is the morning of the last day).
    public func reminderTime(_ period: Period, daysBefore: Int) -> Date {
        deadline(period).addingTimeInterval(-Double(daysBefore) * 86_400 + Self.sendingHour)
    }

    /// When the deadline messages of `period` go out: 08:00 the morning after its last day.
    public func deadlineTime(_ period: Period) -> Date { deadline(period).addingTimeInterval(Self.sendingHour) }

    /// The events due at `now` (whether they were already sent is the mail log's business).
    public func due(at now: Date) -> [Event] {
        let current = Period.containing(VietnamTime.civil(now))
        var events: [Event] = []
        // A deadline is at most a few months after its quarter: the last three quarters cover
        // any `deadline_days` a province sets.
        for period in [current.previous.previous, current.previous, current] {
            if let first = firstPeriod, period < first { continue }
            let end = VietnamTime.start(of: period.next.firstDay)
            let last = remindDaysBefore.filter { $0 > 0 }
                .map { (days: $0, at: reminderTime(period, daysBefore: $0)) }
                // Not before the quarter is over: nothing can be sent for it yet.
                .filter { $0.at >= end && $0.at <= now && now < deadline(period) }
                .max { $0.at < $1.at }
            if let last { events.append(.reminder(period, daysBefore: last.days)) }
            let at = deadlineTime(period)
            if at <= now && now.timeIntervalSince(at) < catchUpDays * 86_400 {
                events += [.overdue(period), .deadline(period)]
            }
        }
        return events
    }

    /// The next moment an event falls due after `now`, to wake the daemon for it.
    public func next(after now: Date) -> Date? {
        let current = Period.containing(VietnamTime.civil(now))
        var times: [Date] = []
        for period in [current.previous.previous, current.previous, current, current.next] {
            if let first = firstPeriod, period < first { continue }
            times += remindDaysBefore.filter { $0 > 0 }.map { reminderTime(period, daysBefore: $0) }
            times.append(deadlineTime(period))
        }
        return times.filter { $0 > now }.min()
    }
}
