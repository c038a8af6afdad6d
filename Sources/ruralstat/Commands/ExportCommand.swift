// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatPublishing

/// `ruralstat export --period YYYY-Qn [--format json|csv]`: a period's figures as data.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Print the aggregated figures of a period.")

    enum Format: String, ExpressibleByArgument { case json, csv }

    @Option(help: "The period, like 2025-Q3.")
    var period: String

    @Option(help: "json or csv.")
    var format: Format = .json

    @OptionGroup var options: ConfigOption

    func run() throws {
        let p = try parsePeriod(period)
        let query = try openPeriodQuery(try options.load())
        let doc = try ExportDocument(query: query, period: p)
        switch format {
        case .json: FileHandle.standardOutput.write(try doc.jsonData() + Data("\n".utf8))
        case .csv: FileHandle.standardOutput.write(Data(doc.csv().utf8))
        }
    }
}
