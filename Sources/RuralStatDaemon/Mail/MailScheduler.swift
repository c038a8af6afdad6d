// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import RuralStatCore
import RuralStatStore
import RuralStatConfig
import RuralStatMail
import RuralStatPublishing

/// What the daemon mails on its own, and when: the managers' digest of a period whose reports
/// changed, the dated messages of `MailCalendar`, the admin's error lines. It writes `.eml`
/// files into the outbox (`mail send` delivers them) and records each in the store after
/// writing it, so a restart neither forgets a digest owed nor mails anything twice; a crash in
/// between can at worst write a message twice.
///
/// The daemon calls `pass` on every turn of its loop: what it reads from the store is kept in
/// memory (when the admin and each digest were last mailed, the dated events already done), so
/// a turn with nothing due costs no query. Made again with the configuration (a reload).
final class MailScheduler {
    private let settings: MailSettings
    private let config: Configuration
    private let definitions: Definitions
    private let store: SubmissionStore
    /// The periods' statuses and deadlines, for the dated messages.
    private let query: PeriodQuery
    private let logger: Logger
    private let calendar: MailCalendar
    private var outbox: Outbox { Outbox(folder: config.paths.outbox) }

    /// Periods whose managers' digest is owed (kept in the store as `digest-due` too), and when
    /// each period's last digest went out.
    private var digestDue: Set<Period> = []
    /// The latest publication of each period owed a digest, as the publisher made it; a digest
    /// owed across a restart has none and is worked out from the store.
    private var published: [Period: Publication] = [:]
    private var lastDigest: [Period: Date] = [:]
    /// Dated events every unit has had its message for (or that could not be written: tried
    /// again after a restart), not looked at again.
    private var finished: Set<MailCalendar.Event> = []
    private var lastCalendarLook = Date.distantPast
    /// Since when files waiting in the inbox of units unknown (no unit folders) hold the dated messages back.
    private var heldSince: Date?
    private var lastAdminMail: Date?
    /// The store's newest evidence of the time when the scheduler was made (what the daemon
    /// records later under a wrong clock cannot vouch for it), and whether a doubt was said.
    private var evidence: Date?
    private var doubtSaid = false

    /// Nil when the configuration has no `mail:` section.
    init?(config: Configuration, definitions: Definitions, store: SubmissionStore, query: PeriodQuery, logger: Logger) throws {
        guard let settings = config.mail else { return nil }
        self.settings = settings
        self.config = config
        self.definitions = definitions
        self.store = store
        self.query = query
        self.logger = logger
        calendar = MailCalendar(remindDaysBefore: settings.remindDaysBefore, firstPeriod: config.periodWindow.first,
                                deadlineDays: config.deadlineDays)
        digestDue = Set(try store.mailKeys(kind: "digest-due").compactMap(Period.init))
        for period in digestDue { lastDigest[period] = try store.lastMail(kind: "digest", key: period.description) }
        lastAdminMail = try store.lastMail(kind: "admin", key: "errors")
        evidence = try store.newestEvidence()
    }

    /// A period's reports were published again: the managers are owed a digest about it.
    func owe(_ publication: Publication) {
        let period = publication.period
        guard !settings.managers.isEmpty else { return }
        published[period] = publication
        guard !digestDue.contains(period) else { return }
        digestDue.insert(period)
        do {
            if lastDigest[period] == nil { lastDigest[period] = try store.lastMail(kind: "digest", key: period.description) }
            try store.recordMail(kind: "digest-due", key: period.description, at: Date())
        } catch {
            logger.error("could not record the managers' mail as owed", metadata: ["period": "\(period)", "error": "\(error)"])
        }
    }

    /// Writes what is due now. `busyUnits`: units with a file still in the inbox or work/, not
    /// reminded yet (their file may be the answer); nil when files wait whose units are not
    /// known (no unit folders): then no dated message goes out, for up to an hour.
    func pass(busyUnits: Set<String>?, now: Date = Date()) {
        mailDigests(now: now)
        if busyUnits == nil {
            if heldSince == nil { heldSince = now }
        } else {
            heldSince = nil
        }
        if let held = heldSince, now.timeIntervalSince(held) < 3_600 {
            // Held back while files of units unknown settle.
        } else {
            mailCalendarEvents(busyUnits: busyUnits ?? [], now: now)
        }
        mailAdminAlerts(now: now)
    }

    /// When something may next fall due, to wake for it.
    func nextTime(after now: Date) -> Date? {
        var times: [Date] = []
        if let next = calendar.next(after: now) { times.append(next) }
        if settings.admin != nil, !AdminAlerts.shared.isEmpty {
            times.append((lastAdminMail ?? now).addingTimeInterval(settings.adminMinutes * 60))
        }
        for period in digestDue { times.append(digestTime(period) ?? now) }
        // A dated look put off (files settling) is taken again a minute later.
        if heldSince != nil || !calendar.due(at: now).allSatisfy(finished.contains) { times.append(lastCalendarLook.addingTimeInterval(60)) }
        return times.min()
    }

    /// When `period`'s owed digest may go: `digest_minutes` after the last one; nil: now.
    private func digestTime(_ period: Period) -> Date? {
        lastDigest[period].map { $0.addingTimeInterval(settings.digestMinutes * 60) }
    }

    /// The managers' "reports updated" for each period owed, at most once per `digest_minutes`.
    private func mailDigests(now: Date) {
        guard !settings.managers.isEmpty else { digestDue.removeAll(); return }
        for period in digestDue.sorted() where (digestTime(period) ?? now) <= now {
            do {
                let publication = try published[period]
                    ?? ReportPublisher(query: query, folder: config.paths.reports).lastPublication(period)
                let message = ReportsMail.message(period: period, province: config.province.asOf(period),
                                                  completeness: publication.completeness, figures: publication.figures,
                                                  reports: publication.paths, settings: settings, at: now,
                                                  approvalNote: publication.approvalNote)
                try outbox.write(message)
                try store.recordMail(kind: "digest", key: period.description, at: now)
                try store.forgetMail(kind: "digest-due", key: period.description)
                lastDigest[period] = now
            } catch {
                // Owed still (the store remembers): tried again after a restart, not at every turn.
                logger.error("could not write the managers' mail", metadata: ["period": "\(period)", "error": "\(error)"])
            }
            digestDue.remove(period)
            published[period] = nil
        }
    }

    /// The dated messages due now: each unit reminded or told it is late once, the managers'
    /// deadline summary once, whatever the restarts in between.
    private func mailCalendarEvents(busyUnits: Set<String>, now: Date) {
        guard now.timeIntervalSince(lastCalendarLook) >= 60 else { return }
        let due = calendar.due(at: now).filter { !finished.contains($0) }
        guard !due.isEmpty else { return }
        lastCalendarLook = now
        // A clock far from the store's evidence dates nothing: a clock jumped to 2031 would
        // tell every unit it is late for 2030.
        if let doubt = try? store.clockDoubt(now: now, evidence: evidence) {
            if !doubtSaid {
                logger.error("the clock is doubted; reminders, overdue notes and the deadline summary wait until it agrees with the store or an admin confirms it (ruralstat clock --confirm)",
                             metadata: ["reason": "\(doubt)"])
                doubtSaid = true
            }
            return
        }
        doubtSaid = false
        var statuses: [Period: [UnitStatus]] = [:]
        for event in due {
            do {
                let period = event.period
                let kind = event.logKey().kind
                let sent = Set(try store.mailKeys(kind: kind))
                if case .deadline = event {
                    if !settings.managers.isEmpty && !sent.contains(event.logKey().key) {
                        let all = try statuses[period] ?? query.statuses(period)
                        statuses[period] = all
                        try outbox.write(DeadlineMail.summary(period: period, province: config.province.asOf(period), statuses: all,
                                                              deadline: query.deadline(period), settings: settings, at: now))
                        try store.recordMail(kind: kind, key: event.logKey().key, at: now)
                        logger.info("deadline summary written for the managers", metadata: ["period": "\(period)"])
                    }
                    finished.insert(event)
                    continue
                }
                let all = try statuses[period] ?? query.statuses(period)
                statuses[period] = all
                var written = 0, waiting = 0
                for status in all where status.state == .missing || status.state == .rejected {
                    let key = event.logKey(unit: status.unit.code).key
                    guard !sent.contains(key) else { continue }
                    // A unit whose file is still arriving is looked at again once it is in.
                    if busyUnits.contains(status.unit.code.uppercased()) { waiting += 1; continue }
                    guard var message = DeadlineMail.unitMessage(event, status: status, deadline: query.deadline(period),
                                                                 settings: settings, at: now) else { continue }
                    // The unit's blank form for the quarter, so that the clerk has the right one at hand.
                    if let form = BlankForms(config: config, schema: definitions.schema).attachment(status.unit, period) {
                        message.attachments.append(form)
                    }
                    try outbox.write(message)
                    try store.recordMail(kind: kind, key: key, at: now)
                    written += 1
                }
                if written > 0 { logger.info("mail written to units", metadata: ["what": "\(event)", "units": "\(written)"]) }
                if waiting == 0 { finished.insert(event) }
            } catch {
                logger.error("could not write the dated mail", metadata: ["what": "\(event)", "error": "\(error)"])
                finished.insert(event)
            }
        }
    }

    /// The lines logged at error level since the last one, to the admin, at most once per
    /// `admin_minutes`. Lines not yet mailed when the daemon stops stay in the journal only.
    private func mailAdminAlerts(now: Date) {
        guard let admin = settings.admin, !AdminAlerts.shared.isEmpty else { return }
        if let last = lastAdminMail, now.timeIntervalSince(last) < settings.adminMinutes * 60 { return }
        let (lines, dropped) = AdminAlerts.shared.take()
        do {
            try outbox.write(AdminAlerts.message(lines: lines, dropped: dropped, configFile: config.file, settings: settings, to: admin, at: now))
            try store.recordMail(kind: "admin", key: "errors", at: now)
            lastAdminMail = now
        } catch {
            AdminAlerts.shared.putBack(lines, dropped: dropped)
            logger.warning("could not write the admin's mail", metadata: ["error": "\(error)"])
        }
    }
}
