// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Logging
import RuralStatCore
import RuralStatDaemon
import RuralStatRender
import RuralStatStore
import RuralStatConfig
import RuralStatDemo

/// `ruralstat demo DIR`: the daemon on the demo province, with sample submissions arriving one
/// by one — valid ones, one with mistakes, and a resubmission — while it runs.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the daemon on a demo province while sample submissions arrive in its inbox.")

    @Argument(help: "The folder for the demo (created with `init --demo` if needed).")
    var directory: String

    @Option(help: "Seconds between two arriving files.")
    var interval: Double = 2

    @Flag(help: "The ministry's site instead (init --national): the provinces' approved quarters arrive.")
    var national = false

    func run() throws {
        let dir = URL(fileURLWithPath: directory).standardizedFileURL.path
        if national { return try runNational(dir) }
        let configPath = dir + "/ruralstat.yaml"
        if !FileManager.default.fileExists(atPath: configPath) {
            try InitCommand.parse([dir, "--demo"]).run()
        } else if let share = ShareLocator.find() {
            // A demo from an earlier version would run that version's definitions: the demo
            // always shows the reports and form that ship now.
            try InitCommand.copyDefinitions(from: share, into: dir, replacingAll: true)
        }
        let config = try ConfigOption.parse(["--config", configPath]).load()
        let definitions = try loadDefinitions(config)
        // The quarter in progress: units send it near its end, with estimated figures, so the
        // demo's files arrive before the deadline (the last finished quarter's has passed).
        let period = StatusCommand.lastFinishedQuarter(Date()).next
        say("""

        Demo province: \(config.province.name), \(config.province.asOf(period).units.count) units in \(Set(config.province.asOf(period).units.compactMap(\.group)).count) areas, period \(period) (the quarter in progress).
        Files arrive in:  \(config.paths.inbox)
        Reports appear in: \(config.paths.reports)/\(period)/
        Feedback for units: \(config.paths.feedback)/<unit>/
        Originals kept in: \(config.paths.archive) (accepted) and \(config.paths.rejected) (refused)
        Press Ctrl-C to stop. Then try: ruralstat status --config \(configPath) --period \(period)

        """)
        // The quarter in progress: most communes have sent their file already; a score arrive
        // while the demo runs (every fifth, one of them with mistakes), a few never do.
        let units = config.province.asOf(period).units
        let arriving = stride(from: 0, to: units.count, by: 5).map { units[$0] }
        let neverSent = stride(from: 3, to: units.count, by: 13).map { units[$0] }.filter { u in !arriving.contains(u) }
        let early = units.filter { u in !arriving.contains(u) && !neverSent.contains(u) }
        try givePast(config: config, definitions: definitions, period: period, early: early)
        let inbox = config.paths.inbox
        let schema = definitions.schema
        let pause = interval
        let feeder = Thread {
            let form = FormWorkbook(schema: schema)
            var plan: [(String, ReportingUnit, FormContent)] = []
            for unit in arriving where unit != arriving[3] {
                plan.append(("bao-cao-\(unit.code)-\(period).xlsx", unit, DemoProvince.content(unit: unit, period: period)))
            }
            let careless = arriving[3]
            plan.insert(("bao-cao-\(careless.code)-\(period).xlsx", careless, DemoProvince.invalidContent(unit: careless, period: period)), at: 3)
            // One clerk types a village's production value in thousand đồng: accepted, with the outlier named.
            if let (i, content) = plan.indices.dropFirst(5).lazy
                .compactMap({ i in DemoProvince.outlierContent(unit: plan[i].1, period: period).map { (i, $0) } }).first {
                plan[i].2 = content
            }
            plan.append(("bao-cao-\(arriving[0].code)-\(period)-sua-lai.xlsx", arriving[0], DemoProvince.content(unit: arriving[0], period: period, variant: 1)))
            Self.drop(plan, form: form, period: period, inbox: inbox, pause: pause)
            say("→ all sample files dropped; \(neverSent.count + 1) units have no valid file yet. Ctrl-C to stop.")
        }
        feeder.start()
        try Daemon(config: config, definitions: definitions, logger: Logger(label: "ruralstat")).run(once: false)
    }

    /// Drops each planned file into the inbox as a finished upload arrives (written beside it
    /// under a hidden name, then renamed), `pause` seconds apart, saying each.
    static func drop(_ plan: [(name: String, unit: ReportingUnit, content: FormContent)], form: FormWorkbook, period: Period,
                     inbox: String, pause: Double) {
        for (name, unit, content) in plan {
            Thread.sleep(forTimeInterval: pause)
            let temp = inbox + "/." + name + ".uploading"
            do {
                try form.write(to: temp, period: period, unit: unit, content: content)
                try FileManager.default.moveItem(atPath: temp, toPath: inbox + "/" + name)
                say("→ dropped \(name)")
            } catch {
                say("demo: could not drop \(name): \(error)")
            }
        }
    }

    /// A demo without last quarter's files (new, or from a version that had none) gets its
    /// past: each earlier file through the daemon's own pipeline, as if it had arrived on time.
    private func givePast(config: Configuration, definitions: Definitions, period: Period, early: [ReportingUnit]) throws {
        guard try SubmissionStore(path: config.paths.database).submissions(period: period.previous).isEmpty else { return }
        say("Giving the demo province its past quarters (the reports compare with them; it takes a minute)…")
        let store = try SubmissionStore(path: config.paths.database)
        // Each earlier file through the daemon's own pipeline, as if it had arrived on time.
        var pipeline = SubmissionPipeline(config: config, definitions: definitions, store: store, logger: Logger(label: "ruralstat.demo"))
        let stored = try DemoProvince.seedHistory(before: period, config: config, definitions: definitions,
                                                  store: store, early: early) { path, name, arrival in
            pipeline.now = { arrival }
            return try pipeline.process(ClaimedFile(workPath: path, originalName: name, unitFolder: nil)).verdict == .accepted
        }
        say("→ \(stored) earlier submissions stored (the old districts until \(DemoProvince.reform.previous), the communes since), "
              + "an annual plan for \(period.year) and the 2026–2030 programme.")
    }
}

/// A line of the demo's own, out at once even into a pipe or a log file (where standard
/// output is block-buffered: `make demo | tee` showed nothing until the end).
func say(_ text: String) {
    print(text)
    fflush(nil)
}
