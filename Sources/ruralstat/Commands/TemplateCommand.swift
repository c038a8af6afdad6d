// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatCore
import RuralStatRender
import RuralStatConfig

/// `ruralstat template --period YYYY-Qn [--unit CODE] --out FILE`: a blank form.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "template", abstract: "Write a blank submission form.")

    @Option(help: "The reporting period, like 2025-Q3.")
    var period: String

    @Option(help: "Pre-fill the cover for this unit (needs the unit in the configuration).")
    var unit: String?

    @Option(help: "Where to write the .xlsx file (with --all: the folder for one file per unit).")
    var out: String

    @Flag(help: "Write one form per unit of the configuration, pre-filled for it.")
    var all = false

    @OptionGroup var options: ConfigOption

    func run() throws {
        let p = try parsePeriod(period)
        let config = try options.loadIfPresent()
        let schema = try loadDefinitions(config).schema
        if all {
            guard let config else { throw CommandFailure.config("--all needs a configuration listing the units (--config FILE).") }
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                for u in config.province.asOf(p).units {
                    let path = out + "/bieu-mau-\(u.code)-\(p).xlsx"
                    try FormWorkbook(schema: schema).write(to: path, period: p, unit: u)
                    print(path)
                }
            } catch {
                throw CommandFailure.config("Cannot write the forms into \(out): \(error)")
            }
            return
        }
        var reportingUnit: ReportingUnit?
        if let unit {
            guard let config else { throw CommandFailure.config("--unit needs a configuration listing the units (--config FILE).") }
            guard let u = config.province.unit(unit) else {
                throw CommandFailure.config("Unknown unit \(unit); the configuration lists \(config.province.units.map(\.code).joined(separator: ", ")).")
            }
            reportingUnit = u
        }
        do {
            try FormWorkbook(schema: schema).write(to: out, period: p, unit: reportingUnit)
        } catch {
            throw CommandFailure.config("Cannot write \(out): \(error)")
        }
        print(out)
    }
}
