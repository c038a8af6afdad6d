import ArgumentParser
import Foundation
import RuralStatDaemon

/// `ruralstat mail send|list [--config FILE]`: deliver what the outbox holds, or show it.
struct MailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Send the messages waiting in outbox/, or list pending, sent and failed ones.",
        discussion: """
        send: exit 0 when everything was sent, 1 when some wait (the relay is down: try later), \
        2 for configuration. A message the relay refuses for good, or that waited longer than \
        mail.give_up_hours, goes to outbox/failed/.
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
                print("\(m.state.padding(8))\((m.path as NSString).lastPathComponent)  \(m.to.joined(separator: ", "))  \(m.subject)")
            }
        case .send:
            guard let settings = config.mail else {
                throw CommandFailure.config("the configuration has no mail: section; nothing is mailed")
            }
            var report = outbox.send(settings: settings)
            // The admin hears of what will never be delivered, in a message of its own that goes
            // out in the same run (never one about a notice to the admin that failed itself).
            let lost = report.failed.filter { Outbox.summary($0.path).to != [settings.admin].compactMap { $0 } }
            if let admin = settings.admin, !lost.isEmpty {
                try outbox.write(AdminAlerts.failedMessage(lost, folder: outbox.failed, settings: settings, to: admin, at: Date()))
                let notice = outbox.send(settings: settings)
                report.sent += notice.sent
                report.failed += notice.failed
                report.waiting += notice.waiting
            }
            for path in report.sent { print("sent    " + (path as NSString).lastPathComponent) }
            for (path, why) in report.failed { print("failed  " + (path as NSString).lastPathComponent + ": " + why) }
            for (path, why) in report.waiting { print("waiting " + (path as NSString).lastPathComponent + ": " + why) }
            if !report.waiting.isEmpty { throw ExitCode(1) }
        }
    }
}
