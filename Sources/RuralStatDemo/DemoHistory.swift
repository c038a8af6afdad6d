// SPDX-License-Identifier: Apache-2.0
import CellModel
public import Foundation
public import RuralStatConfig
public import RuralStatCore
import RuralStatPublishing
import RuralStatRender
public import RuralStatStore

extension DemoProvince {
    /// Gives a new demo the past a real province has: every earlier quarter that `period`'s
    /// reports compare with (this year so far, and last year — across the 2025 reform, from
    /// the old districts before it and the communes since), each unit's file taken through the
    /// real pipeline as if it had arrived on time, an annual plan a little above last year, and
    /// the 2026–2030 programme. One unit (the last) never reports, as in life. `early` have
    /// already sent `period`'s file too. Each file is written into `work/` and handed to
    /// `take` with its name and when it arrived (the daemon's pipeline in the demo; `take`
    /// says whether it was accepted). Returns how many files were accepted.
    @discardableResult
    public static func seedHistory(before period: Period, config: Configuration, definitions: Definitions,
                                   store: SubmissionStore, early: [ReportingUnit] = [],
                                   take: (_ path: String, _ name: String, _ arrival: Date) throws -> Bool) throws -> Int {
        let query = PeriodQuery(config: config, definitions: definitions, store: store)
        let form = FormWorkbook(schema: definitions.schema)
        let earlier = QuarterlyAggregator.periodsNeeded(for: period).filter { $0 < period }.sorted()
        var stored = 0
        var quarters = earlier.map { ($0, config.province.asOf($0).units.dropLast()) }
        if !early.isEmpty { quarters.append((period, early[...])) }
        for (p, units) in quarters {
            let arrival = p == period ? Date().addingTimeInterval(-3_600) : query.deadline(p).addingTimeInterval(-5 * 86_400)
            for unit in units {
                let name = "bao-cao-\(unit.code)-\(p).xlsx"
                let path = config.paths.work + "/" + name
                try form.write(to: path, period: p, unit: unit, content: content(unit: unit, period: p))
                if try take(path, name, arrival) { stored += 1 }
            }
        }
        // The plan: last year's figures, a tenth higher; flows for a whole year.
        let compared = try query.aggregator(period).compare(period, units: query.scopes(period).provinceKeys)
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
        // The province's industrial-promotion programme 2026–2030 (QĐ 2646/QĐ-BCT sets the
        // national one; provinces approve their own): five years of targets.
        try store.importProgramme(SubmissionStore.Programme(name: "Chương trình khuyến công thành phố Hải Phòng giai đoạn 2026–2030",
                                                            fromYear: 2026, toYear: 2030, targets: [nil: programmeTargets]),
                                  source: "demo", at: Date(), actor: "demo")
        return stored
    }

    /// Five-year targets of the demo programme, of the size a city of Hải Phòng's makes.
    static let programmeTargets: [String: Double] = [
        "projects.rows": 400, "projects.approved_budget": 120_000, "indicators.trainees": 6_000, "indicators.fairs": 60,
        "indicators.booths": 400, "indicators.products_province": 150, "indicators.artisans": 40, "indicators.clusters": 30,
    ]
}
