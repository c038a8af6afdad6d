// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatAdmin

/// `ruralstat check [--config FILE] [--json]`: do the database, the originals and the reports agree?
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that the database, the originals in archive/ and rejected/, work/ and the reports agree.",
        discussion: """
            Runs the database's integrity_check; checks that every submission's original is where its \
            record says with the same SHA-256, that archive/ and rejected/ hold no file the database does \
            not know, that nothing is stuck in work/, and that every period's reports are published from \
            its latest data. Safe beside the running daemon. Exit codes: 0 all holds, 1 problems \
            (one line each, with the path), 2 usage, configuration or I/O.
            """)

    @Flag(help: "Print JSON: {\"ok\", \"problems\": [{\"kind\", \"path\", \"message\"}], \"checked\": {…}}.")
    var json = false

    @Option(help: "A file in work/ for longer than this many seconds is stuck.")
    var stuckAfter: Double = 300

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        var check = HealthCheck(config: config)
        check.stuckAfter = stuckAfter
        let report: HealthReport
        do {
            report = try check.run()
        } catch {
            throw CommandFailure.config("check failed: \(error)")
        }
        if json {
            print(JSONValue.object([
                ("ok", .bool(report.ok)),
                ("problems", .array(report.problems.map { p in
                    .object([("kind", .string(p.kind.rawValue)), ("path", .string(p.path)), ("message", .string(p.message))])
                })),
                ("checked", .object(report.checked.map { ($0.name, .number(Double($0.count))) })),
            ]).serialized())
        } else {
            for p in report.problems { print("\(p.kind.rawValue): \(p.path): \(p.message)") }
            let counts = report.checked.filter { $0.name != "integrity_check" }.map { "\($0.count) \($0.name.replacingOccurrences(of: "_", with: " "))" }
            print(report.ok ? "ok: " + counts.joined(separator: ", ")
                            : "\(report.problems.count) problem(s); checked " + counts.joined(separator: ", "))
        }
        if !report.ok { throw ExitCode(1) }
    }
}
