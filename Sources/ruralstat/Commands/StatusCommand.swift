// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatCore
import RuralStatFiles
import RuralStatConfig
import RuralStatPublishing
import RuralStatStore

/// `ruralstat status [--period YYYY-Qn] [--json]`: who has submitted, who is missing.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show each unit's state for a period.")

    @Option(help: "The period, like 2025-Q3 (default: the last finished quarter).")
    var period: String?

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var options: ConfigOption

    func run() throws {
        let p = try period.map(parsePeriod) ?? Self.lastFinishedQuarter(Date())
        let config = try options.load()
        let query = try openPeriodQuery(config)
        // Files the daemon holds in work/: in hand right now, or waiting to be tried again
        // after a failure (a folder it cannot write); the admin sees them here and in the log.
        let inWork = WorkFolder.files(config.paths.work)
        // Files in the inbox longer than the settle time, with the likeliest reason.
        let inInbox = InboxScanner.waiting(config.paths.inbox, unitFolders: config.intake.unitFolders,
                                           settleSeconds: config.intake.settleSeconds)
        let statuses = try query.statuses(p)
        let approval = try query.store.changedSinceApproval(p)
        let stamp = ISO8601DateFormatter()
        let c = query.completeness(statuses)
        if json {
            print(JSONValue.object([
                ("period", .string(p.description)),
                ("deadline", .string(stamp.string(from: query.deadline(p)))),
                ("units", .array(statuses.map { s in
                    .object([("code", .string(s.unit.code)), ("name", .string(s.unit.name)), ("state", .string(s.state.rawValue)),
                             ("received_at", .optional(s.receivedAt.map { stamp.string(from: $0) })),
                             ("errors", .number(Double(s.errors))), ("held", .number(Double(s.held))),
                             ("last_error", .optional(s.lastReason))])
                })),
                ("completeness", .object([("expected", .number(Double(c.expected))), ("on_time", .number(Double(c.onTime))),
                                          ("late", .number(Double(c.late))), ("rejected", .number(Double(c.rejected))),
                                          ("missing", .number(Double(c.missing)))])),
                ("approval", approval.map { a in
                    .object([("version", .number(Double(a.approval.version))), ("approved_at", .string(stamp.string(from: a.approval.approvedAt))),
                             ("approved_by", .string(a.approval.actor)), ("file", .string(a.approval.path)),
                             ("changed_units", .array(a.units.map { .string($0) }))])
                } ?? .null),
                ("in_work", .array(inWork.map { f in
                    .object([("path", .string(f.path)), ("since", .string(stamp.string(from: f.since)))])
                })),
                ("in_inbox", .array(inInbox.map { w in
                    .object([("path", .string(w.entry.path)),
                             ("modified", .string(stamp.string(from: Date(timeIntervalSince1970: w.entry.modified)))),
                             ("reason", .string(w.reason))])
                })),
            ]).serialized())
            return
        }
        let local = DateFormatter()
        local.locale = Locale(identifier: "vi_VN")
        local.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        local.dateFormat = "dd/MM/yyyy HH:mm"
        print("\(p.vietnameseTitle) (\(p)) — hạn nộp \(local.string(from: query.deadline(p)))")
        if let note = try query.approvalNote(p) { print("  " + note) }
        print("  " + "Mã".padding(8) + "Đơn vị".padding(26) + "Tình trạng".padding(12) + "Nhận lúc".padding(18) + "Ghi chú")
        for s in statuses {
            let when = s.receivedAt.map { local.string(from: $0) } ?? "-"
            var note = s.errors > 0 ? "\(s.errors) lỗi: \(s.lastReason ?? "")" : ""
            if s.held > 0 { note += (note.isEmpty ? "" : "; ") + "\(s.held) tệp chờ duyệt (kỳ đã khóa)" }
            print("  \(s.unit.code.padding(8))\(s.unit.name.padding(26))\(s.state.vietnamese.padding(12))\(when.padding(18))\(note)")
        }
        print("Đã nộp \(c.onTime + c.late)/\(c.expected) (đúng hạn \(c.onTime), muộn \(c.late)); bị trả lại chưa sửa \(c.rejected); chưa nộp \(c.missing).")
        if !inInbox.isEmpty {
            print("Chờ trong hộp thư quá thời gian ổn định (inbox/) / waiting in the inbox longer than the settle time: \(inInbox.count)")
            for w in inInbox { print("  \(w.entry.path): \(w.reason)") }
        }
        if !inWork.isEmpty {
            print("Đang xử lý hoặc chờ thử lại (work/) / in hand or waiting to be tried again: \(inWork.count)")
            for f in inWork { print("  \(local.string(from: f.since))  \(f.path)") }
        }
    }

    static func lastFinishedQuarter(_ now: Date) -> Period {
        Period.containing(VietnamTime.civil(now)).previous
    }
}
