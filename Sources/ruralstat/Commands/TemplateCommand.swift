import ArgumentParser
import RuralStatCore
import RuralStatDaemon
import RuralStatRender

/// `ruralstat template --period YYYY-Qn [--unit CODE] --out FILE`: a blank form.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "template", abstract: "Write a blank submission form.")

    @Option(help: "The reporting period, like 2025-Q3.")
    var period: String

    @Option(help: "Pre-fill the cover for this unit (needs the unit in the configuration).")
    var unit: String?

    @Option(help: "Where to write the .xlsx file.")
    var out: String

    @OptionGroup var options: ConfigOption

    func run() throws {
        let p = try parsePeriod(period)
        let config = try options.loadIfPresent()
        let schema = try loadDefinitions(config).schema
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
