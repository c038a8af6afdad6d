// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import CellModel
import Foundation
import Logging
import RuralStatCore
import RuralStatConfig
import RuralStatDaemon
import RuralStatDemo
import RuralStatRender
import RuralStatStore

extension DemoCommand {
    /// `ruralstat demo DIR --national`: the ministry's site (made with `init --national`), given
    /// the provinces' approved quarters since 2024-Q1, then the last finished quarter's files
    /// arriving while the daemon runs — most provinces' version 1, one with a total that does
    /// not match its rows (refused), one sending a version 2, a few never.
    func runNational(_ dir: String) throws {
        let configPath = dir + "/ruralstat.yaml"
        if !FileManager.default.fileExists(atPath: configPath) {
            try InitCommand.parse([dir, "--national"]).run()
        } else if let share = ShareLocator.find() {
            try InitCommand.copyDefinitions(from: share, into: dir, replacingAll: true)
            try InitCommand.addressReportsToTheMinistry(dir + "/reports")
        }
        let config = try ConfigOption.parse(["--config", configPath]).load()
        let definitions = try loadDefinitions(config)
        // The ministry collects the quarter the provinces have just approved.
        let period = StatusCommand.lastFinishedQuarter(Date())
        let provinces = config.province.asOf(period).units
        say("""

            The ministry's site: \(provinces.count) provinces in \(Set(provinces.compactMap(\.group)).count) regions, period \(period).
            Province files arrive in: \(config.paths.inbox)
            Reports appear in: \(config.paths.reports)/\(period)/
            Answers to the provinces: \(config.paths.feedback)/<code>/
            Press Ctrl-C to stop. Then try: ruralstat status --config \(configPath) --period \(period)

            """)
        try Self.giveNationalPast(config: config, definitions: definitions, period: period)
        let feeder = Thread { [interval] in
            Self.dropProvinceFiles(provinces, period: period, schema: definitions.schema, inbox: config.paths.inbox, pause: interval)
        }
        feeder.start()
        try Daemon(config: config, definitions: definitions, logger: Logger(label: "ruralstat")).run(once: false)
    }

    /// The provinces' quarters before `period`, each through the daemon's own pipeline as if it
    /// had arrived after the province's deadline; once, on a new site.
    static func giveNationalPast(config: Configuration, definitions: Definitions, period: Period) throws {
        let store = try SubmissionStore(path: config.paths.database)
        guard try store.submissions(period: period.previous).isEmpty else { return }
        say("Giving the ministry's site the provinces' quarters since 2024-Q1 (the 63 former provinces until 2025-Q2; it takes a minute)…")
        var pipeline = SubmissionPipeline(config: config, definitions: definitions, store: store, logger: Logger(label: "ruralstat.demo"))
        let stored = try NationalDemo.seedHistory(before: period, province: config.province, form: definitions.schema,
                                                  work: config.paths.work) { path, name, arrival in
            pipeline.now = { arrival }
            return try pipeline.process(ClaimedFile(workPath: path, originalName: name, unitFolder: nil)).verdict == .accepted
        }
        say("→ \(stored) earlier province files stored.")
    }

    /// The quarter's files dropped one by one: every province but every seventh, the fourth
    /// with one village too many declared, the first sending a second version at the end.
    static func dropProvinceFiles(_ provinces: [ReportingUnit], period: Period, schema: FormSchema, inbox: String, pause: Double) {
        let form = FormWorkbook(schema: schema)
        var plan: [(String, ReportingUnit, FormContent)] = []
        for (i, unit) in provinces.enumerated() where i % 7 != 6 {
            var content = NationalDemo.content(province: unit, period: period)
            // A total typed by hand that no longer matches the rows: the ministry refuses the file.
            if i == 3 { content.indicators["indicators"]?["villages_total"] = .number(Double(content.tables["villages"]?.count ?? 0) + 1) }
            plan.append(("\(unit.code)-\(period)-v1.xlsx", unit, content))
        }
        if let first = provinces.first {
            plan.append(("\(first.code)-\(period)-v2.xlsx", first, NationalDemo.content(province: first, period: period, version: 2)))
        }
        drop(plan, form: form, period: period, inbox: inbox, pause: pause)
        say("→ all the quarter's province files dropped; \(provinces.count - plan.count + 1) provinces have not sent theirs. Ctrl-C to stop.")
    }
}
