// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import CellModel
import Foundation
import RuralStatCore
import RuralStatStore
import XLSX
import Yams
import RuralStatConfig

/// `ruralstat plan import FILE`: the annual plan targets, from YAML or a workbook.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Import the annual plan targets (YAML, or a workbook with columns: unit, figure, target).",
        discussion: """
        YAML:   year: 2026
                province: {projects.approved_budget: 12000}
                units: {"10525": {villages.production_value: 50000}}
                programme: {province: {indicators.trainees: 6000}}   # from: 2026, to: 2030 unless given
        XLSX:   first sheet, from row 2: A unit code (empty or TỈNH for the province), B figure id,
                C annual target; the year in cell E1 or given with --year.
        Importing a year replaces its targets. Figure ids are those of `ruralstat export`.
        """)

    enum Action: String, ExpressibleByArgument { case `import` }

    @Argument(help: "import")
    var action: Action

    @Argument(help: "The plan file (.yaml or .xlsx).")
    var file: String

    @Option(help: "The plan's year (for a workbook without it in E1).")
    var year: Int?

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        let definitions = try loadDefinitions(config)
        let plan = try read(config: config, catalog: definitions.catalog)
        let store = try SubmissionStore(path: config.paths.database)
        let actor = ProcessInfo.processInfo.environment["USER"] ?? "admin"
        let source = (file as NSString).lastPathComponent
        if let year = plan.year {
            try store.importPlan(year: year, targets: plan.targets, source: source, at: Date(), actor: actor)
            print("Imported \(plan.targets.count) target(s) for \(year).")
        }
        if let programme = plan.programme {
            try store.importProgramme(programme, source: source, at: Date(), actor: actor)
            print("Imported the programme \(programme.name) (\(programme.fromYear)–\(programme.toYear)).")
        }
    }

    func invalid(_ message: String) -> CommandFailure { CommandFailure(code: 1, message: "\(file): \(message)") }

    /// What a plan file holds: annual targets (with their year) and perhaps a programme.
    struct PlanFile {
        var year: Int?
        var targets: [(unit: String?, figure: String, value: Double)]
        var programme: SubmissionStore.Programme?
    }

    func read(config: Configuration, catalog: FigureCatalog) throws -> PlanFile {
        var targets: [(unit: String?, figure: String, value: Double)] = []
        var programme: SubmissionStore.Programme?
        var planYear = year
        func add(_ unit: String?, _ figure: String, _ value: Double, _ place: String) throws {
            guard catalog.contains(figure) else { throw invalid("\(place): '\(figure)' is not a figure (see `ruralstat export`)") }
            var code: String?
            if let unit, !unit.isEmpty, unit.uppercased() != "TỈNH", unit.uppercased() != "TINH" {
                guard let u = config.province.unit(unit) else { throw invalid("\(place): '\(unit)' is not a reporting unit") }
                code = u.code
            }
            targets.append((code, figure, value))
        }
        if file.lowercased().hasSuffix(".yaml") || file.lowercased().hasSuffix(".yml") {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandFailure.config("Cannot read \(file).") }
            // The current programme period (2026–2030, QĐ 2646/QĐ-BCT) unless the file says otherwise.
            struct RawProgramme: Decodable {
                var name: String?; var from: Int?; var to: Int?
                var province: [String: Double]?; var units: [String: [String: Double]]?
            }
            struct Raw: Decodable {
                var year: Int?; var province: [String: Double]?; var units: [String: [String: Double]]?
                var programme: RawProgramme?
            }
            let raw: Raw
            do { raw = try YAMLDecoder().decode(Raw.self, from: text) } catch { throw invalid("\(error)") }
            planYear = raw.year
            for (figure, v) in raw.province ?? [:] { try add(nil, figure, v, "province") }
            for (unit, figures) in raw.units ?? [:] { for (figure, v) in figures { try add(unit, figure, v, "units.\(unit)") } }
            if let p = raw.programme {
                let from = p.from ?? 2026, to = p.to ?? (p.from.map { $0 + 4 } ?? 2030)
                guard from <= to else { throw invalid("programme: 'from' must not be after 'to'") }
                let annual = targets
                targets = []
                for (figure, v) in p.province ?? [:] { try add(nil, figure, v, "programme.province") }
                for (unit, figures) in p.units ?? [:] { for (figure, v) in figures { try add(unit, figure, v, "programme.units.\(unit)") } }
                var byUnit: [String?: [String: Double]] = [:]
                for t in targets { byUnit[t.unit, default: [:]][t.figure] = t.value }
                programme = SubmissionStore.Programme(name: p.name ?? "Chương trình khuyến công giai đoạn \(from)–\(to)",
                                                      fromYear: from, toYear: to, targets: byUnit)
                targets = annual
            }
        } else {
            do {
                let reader = try WorkbookReader(path: file)
                guard let sheet = reader.sheets.first else { throw invalid("the workbook has no sheet") }
                let cells = try reader.cells(of: sheet)
                if case .number(let y)? = cells["E1"] { planYear = planYear ?? Int(y) }
                guard cells.lastRow >= 1 else { throw invalid("no targets from row 2") }
                for r in 1...cells.lastRow {
                    guard let figureCell = cells[r, 1] else { continue }
                    guard case .number(let v)? = cells[r, 2] else { throw invalid("row \(r + 1): column C must hold the target as a number") }
                    try add(cells[r, 0]?.description, figureCell.description, v, "row \(r + 1)")
                }
            } catch let e as XLSXError {
                throw CommandFailure(code: 2, message: "\(file): \(e.message)")
            }
        }
        if planYear == nil && (!targets.isEmpty || programme == nil) {
            throw invalid("the plan's year is missing (year: in YAML, cell E1 or --year)")
        }
        return PlanFile(year: planYear, targets: targets, programme: programme)
    }
}

