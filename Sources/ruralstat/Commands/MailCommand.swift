// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatMail
import RuralStatConfig

/// `ruralstat mail send|list [--config FILE]`: deliver what the outbox holds, or show it.
struct MailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Send the messages waiting in outbox/, or list pending, sent and failed ones.",
        discussion: """
        send: exit 0 when nothing is left waiting, 1 when some wait (the relay is down: try later), \
        2 for configuration (no mail: section, a password file it cannot read, an outbox it cannot \
        write). A message the relay refuses for good, or that waited longer than \
        mail.give_up_hours, goes to outbox/failed/ and the admin is told.
        """)

    enum Action: String, ExpressibleByArgument { case send, list }

    @Argument(help: "send or list")
    var action: Action

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        let outbox = Outbox(folder: config.paths.outbox)
        switch action {
        case .list:
            for m in outbox.list() {
                // One line a message, whatever its subject holds: a decoded line break or control
                // character would print lines that look like other messages.
                let line = "\(m.state.padding(8))\((m.path as NSString).lastPathComponent)  \(m.to.joined(separator: ", "))  \(m.subject)"
                print(String(String.UnicodeScalarView(line.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 })))
            }
        case .send:
            guard let settings = config.mail else {
                throw CommandFailure.config("the configuration has no mail: section; nothing is mailed")
            }
            // What would make every message fail alike is said before any is sent (exit 2): a
            // folder it cannot move messages into, a password it cannot read.
            do { try outbox.checkWritable() } catch {
                throw CommandFailure.config("cannot send: \(error); a sent message that cannot be moved would be sent again each run")
            }
            if settings.transport == .smtp, let file = settings.passwordFile, !FileManager.default.isReadableFile(atPath: file) {
                throw CommandFailure.config("cannot read the mail password file \(file) (under systemd: /etc/credstore/ruralstat-smtp, see the README)")
            }
            var report = Outbox.Report()
            // Messages the daemon writes while this runs are sent in the same run: passes until
            // one finds nothing new (a few at most; the relay gone, the rest wait anyway).
            for _ in 0..<5 {
                let pass = outbox.send(settings: settings, skip: report.tried)
                report.sent += pass.sent
                report.failed += pass.failed
                report.waiting += pass.waiting
                report.setAside += pass.setAside
                report.tried.formUnion(pass.tried)
                // The admin hears of what will never be delivered, in a message of its own that
                // goes out in the next pass (never one about a notice to the admin that failed).
                if let admin = settings.admin {
                    let untold = outbox.untoldFailures()
                    let lost = untold.filter { $0.to != [admin] }
                    if !lost.isEmpty {
                        try outbox.write(Outbox.failureNotice(lost, folder: outbox.failed, settings: settings, to: admin, at: Date()))
                    }
                    try outbox.markTold(untold.map(\.path))
                }
                if pass.waiting.contains(where: { $0.why.hasPrefix("not tried: ") }) || pass.tried.isEmpty { break }
                if outbox.pending().allSatisfy(report.tried.contains) { break }
            }
            for path in report.sent { print("sent    " + (path as NSString).lastPathComponent) }
            for (path, why) in report.failed { print("failed  " + (path as NSString).lastPathComponent + ": " + why) }
            for (path, why) in report.waiting { print("waiting " + (path as NSString).lastPathComponent + ": " + why) }
            // Said on stderr (the journal, at warning): something put these there that is not the daemon.
            for (path, why) in report.setAside { printError("set aside, not sent: \(path): \(why)") }
            if !report.waiting.isEmpty { throw ExitCode(1) }
        }
    }
}
