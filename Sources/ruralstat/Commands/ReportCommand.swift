// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RuralStatPublishing
import RuralStatConfig

/// `ruralstat report --period YYYY-Qn [--out DIR]`: rebuild a period's reports from the store.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Rebuild the reports of a period from the store.")

    @Option(help: "The period, like 2025-Q3.")
    var period: String

    @Option(help: "Write into DIR/<period>/ instead of the configured reports folder.")
    var out: String?

    @OptionGroup var options: ConfigOption

    func run() throws {
        let p = try parsePeriod(period)
        let config = try options.load()
        let query = try openPeriodQuery(config)
        for path in try ReportPublisher(query: query, folder: out ?? config.paths.reports, recordsPublication: out == nil).publish(p).paths { print(path) }
    }
}
