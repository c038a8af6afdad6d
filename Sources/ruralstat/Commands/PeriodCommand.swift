// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatCore
import RuralStatStore
import RuralStatConfig
import RuralStatPublishing

/// `ruralstat period close|open|reopen|approve PERIOD`: freeze a period's figures, release them
/// again, or approve them for the ministry (the file written is the last line printed).
struct PeriodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "period",
        abstract: "Close a period (new files are held for review), open it again (the latest held file of each unit counts), or approve it for the ministry.",
        discussion: """
            approve closes the period and writes the province's report to the ministry, a workbook of the \
            province-level form (templates/province-v1.yaml) with every accepted village and project, the \
            province's indicators and where each figure came from, into outbound/<period>/; its path is the \
            last line printed. A period with held files, or files still being processed, is refused (exit 1) \
            unless --allow-held. Approving again writes the next version. reopen is open.
            """)

    enum Action: String, ExpressibleByArgument { case close, open, reopen, approve }

    @Argument(help: "close, open (or reopen), or approve.")
    var action: Action

    @Argument(help: "The period, like 2025-Q3.")
    var period: String

    @Option(help: "approve: who approves (default: the user running the command).")
    var by: String?

    @Option(help: "approve: a note printed on the report's cover.")
    var note: String?

    @Flag(help: "approve: approve although files are held (they are left out of the figures).")
    var allowHeld = false

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
        case .approve:
            try approve(p, config: config, store: store, actor: by ?? actor)
        case .open, .reopen:
            let released = try store.open(p, at: Date(), actor: actor)
            print("\(p) is open. \(released) held file(s) now count; run `ruralstat report --period \(p)` to republish.")
        }
    }

    /// Approves the period and says what was written, the file's path last.
    private func approve(_ period: Period, config: Configuration, store: SubmissionStore, actor: String) throws {
        let query = PeriodQuery(config: config, definitions: try loadDefinitions(config), store: store)
        let result: PeriodApproval.Result
        do {
            result = try PeriodApproval(config: config, query: query).approve(period, by: actor, note: note, allowHeld: allowHeld)
        } catch let refused as PeriodApproval.NotReady {
            throw CommandFailure(code: 1, message: refused.description)
        }
        print("\(period) is approved (version \(result.version)) and closed: files that arrive now are held for review.")
        if result.held > 0 { print("\(result.held) held file(s) are left out of the approved figures.") }
        if !result.missing.isEmpty {
            print("\(result.missing.count) unit(s) have nothing accepted and are listed as such: "
                  + result.missing.map(\.code).joined(separator: ", "))
        }
        for place in result.delivered { print("Delivered: \(place)") }
        for problem in result.undelivered { printError("ruralstat: approved, but not delivered: \(problem); send \(result.path) by hand") }
        if result.delivered.isEmpty && result.undelivered.isEmpty {
            print("No delivery is configured (mail.upward, upward.folder): send the file below to the ministry as it asks.")
        }
        print("SHA-256 \(result.sha256)")
        print(result.path)
        if !result.undelivered.isEmpty { throw ExitCode(2) }
    }
}
