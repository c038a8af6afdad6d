// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatConfig
import RuralStatStore

/// `ruralstat clock [--confirm [--by NAME]]`: the machine's clock against the store's evidence.
struct ClockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock",
        abstract: "Compare the clock with the store's newest evidence; --confirm says it is right.",
        discussion: """
        The daemon dates nothing (reminders, overdue notes, the deadline summary) while the clock \
        is before the newest file received or message sent, or more than 400 days after it. \
        Exit 1 while the clock is doubted (without --confirm).
        """)

    @Flag(help: "Record that the clock is right as it reads now: the daemon's dated mail goes out again.")
    var confirm = false

    @Option(help: "Who confirms (recorded with the confirmation).")
    var by: String?

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        let store = try SubmissionStore(path: config.paths.database)
        let now = Date()
        let iso = ISO8601DateFormatter()
        print("Clock: \(iso.string(from: now))")
        print("Store's newest evidence (file received, mail sent, clock confirmed): \(try store.newestEvidence().map(iso.string) ?? "none")")
        if confirm {
            try store.confirmClock(at: now, by: by ?? ProcessInfo.processInfo.environment["SUDO_USER"] ?? NSUserName())
            print("Confirmed: the daemon takes \(iso.string(from: now)) as the time.")
            return
        }
        if let doubt = try store.clockDoubt(now: now) {
            print("Doubted: \(doubt). Set the clock right, or, if it is right, run: ruralstat clock --confirm")
            throw ExitCode(1)
        }
        print("The clock agrees with the store.")
    }
}
