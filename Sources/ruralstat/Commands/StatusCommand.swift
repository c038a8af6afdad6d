import ArgumentParser
import Foundation
import RuralStatCore
import RuralStatDaemon

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
        let ledger = try openLedger(try options.load())
        let statuses: [UnitStatus]
        do {
            statuses = try ledger.statuses(p)
        } catch {
            throw CommandFailure.config("\(error)")
        }
        let stamp = ISO8601DateFormatter()
        if json {
            print(JSONValue.object([
                ("period", .string(p.description)),
                ("units", .array(statuses.map { s in
                    .object([("code", .string(s.unit.code)), ("name", .string(s.unit.name)), ("state", .string(s.state.rawValue)),
                             ("received_at", .optional(s.receivedAt.map { stamp.string(from: $0) })),
                             ("errors", .number(Double(s.errors)))])
                })),
            ]).serialized())
            return
        }
        print("\(p.vietnameseTitle) (\(p))")
        for s in statuses {
            let when = s.receivedAt.map { stamp.string(from: $0) } ?? "-"
            let errors = s.errors > 0 ? "\(s.errors) lỗi: \(s.lastReason ?? "")" : ""
            print("  \(s.unit.code.padding(8))\(s.unit.name.padding(26))\(s.state.vietnamese.padding(12))\(when.padding(22))\(errors)")
        }
        let done = statuses.filter { $0.state == .accepted || $0.state == .late }.count
        print("Đã nộp \(done)/\(statuses.count) đơn vị.")
    }

    static func lastFinishedQuarter(_ now: Date) -> Period {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, from: now)
        return Period(year: c.year!, quarter: (c.month! - 1) / 3 + 1)!.previous
    }
}
