// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatCore
import RuralStatStore
import RuralStatConfig

/// `ruralstat period close|open PERIOD`: freeze a period's figures, or release them again.
struct PeriodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "period",
        abstract: "Close a period (new files are held for review) or open it again (the latest held file of each unit counts).")

    enum Action: String, ExpressibleByArgument { case close, open }

    @Argument(help: "close or open.")
    var action: Action

    @Argument(help: "The period, like 2025-Q3.")
    var period: String

    @OptionGroup var options: ConfigOption

    func run() throws {
        let p = try parsePeriod(period)
        let config = try options.load()
        let actor = ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "admin"
        let store = try SubmissionStore(path: config.paths.database)
        switch action {
        case .close:
            try store.close(p, at: Date(), actor: actor)
            print("\(p) is closed: files that arrive now are held for review.")
        case .open:
            let released = try store.open(p, at: Date(), actor: actor)
            print("\(p) is open. \(released) held file(s) now count; run `ruralstat report --period \(p)` to republish.")
        }
    }
}
