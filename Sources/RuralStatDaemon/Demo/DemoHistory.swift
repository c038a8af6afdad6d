import CellModel
public import Foundation
public import Logging
public import RuralStatCore
import RuralStatRender
public import RuralStatStore

extension DemoProvince {
    /// Gives a new demo the past a real province has: every earlier quarter that `period`'s
    /// reports compare with (this year so far, and last year), each unit's file taken through
    /// the real pipeline as if it had arrived on time, and an annual plan a little above last
    /// year. One unit (the last) never reports, as in life. Returns how many files were stored.
    @discardableResult
    public static func seedHistory(before period: Period, config: Configuration, definitions: Definitions,
                                   store: SubmissionStore, logger: Logger) throws -> Int {
        let ledger = PeriodLedger(config: config, definitions: definitions, store: store)
        var pipeline = SubmissionPipeline(config: config, definitions: definitions, store: store, logger: logger)
        let form = FormWorkbook(schema: definitions.schema)
        let earlier = QuarterlyAggregator.periodsNeeded(for: period).filter { $0 < period }.sorted()
        var stored = 0
        for p in earlier {
            let arrival = ledger.deadline(p).addingTimeInterval(-5 * 86_400)
            pipeline.now = { arrival }
            for unit in config.province.asOf(p).units.dropLast() {
                let name = "bao-cao-\(unit.code)-\(p).xlsx"
                let path = config.paths.work + "/" + name
                try form.write(to: path, period: p, unit: unit, content: content(unit: unit, period: p))
                let outcome = try pipeline.process(ClaimedFile(workPath: path, originalName: name, unitFolder: nil))
                if outcome.verdict == .accepted { stored += 1 }
            }
        }
        // The plan: last year's figures, a tenth higher; flows for a whole year.
        let compared = try ledger.aggregator(period).compare(period, units: config.province.units.map(\.code))
        var targets: [(unit: String?, figure: String, value: Double)] = []
        for (id, _) in definitions.catalog.ids where !id.contains("[") {
            let f = compared[id]
            let target: Double?
            switch definitions.catalog.accumulation[id] ?? .last {
            case .sum: target = f?.ytdLastYear.map { $0 * 4 / Double(period.quarter) * 1.1 }
            case .last: target = f?.sameQuarterLastYear.map { $0 * 1.05 }
            }
            if let target, target > 0 { targets.append((nil, id, (target * 10).rounded() / 10)) }
        }
        try store.importPlan(year: period.year, targets: targets, source: "demo", at: Date(), actor: "demo")
        return stored
    }
}
