// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatStore
import RuralStatAdmin
import RuralStatConfig

/// `ruralstat restore [--config FILE] [--with-config] [--force] DIR`: a backup put back.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup's database (and with --with-config its configuration and definitions) back in place.",
        discussion: """
            Checks every file of the backup against its manifest's SHA-256 first. Refuses while the \
            daemon runs (stop it: systemctl stop ruralstat), and refuses to replace a database that \
            holds submissions unless --force; whatever is replaced is kept beside under \
            <name>.before-restore-<time>. Records are pointed at this configuration's archive and \
            rejected folders, and every period's reports are rebuilt at the daemon's next start. \
            The archive and rejected folders are not in the backup: copy them back first. \
            Exit codes: 0 done, 1 the backup is damaged, 2 usage, refusal or I/O.
            """)

    @Argument(help: "The backup folder (the one holding manifest.json).")
    var directory: String

    @Flag(help: "Also put back the configuration (at --config) and the schema and report definitions it names.")
    var withConfig = false

    @Flag(help: "Replace a database that holds submissions.")
    var force = false

    @OptionGroup var options: ConfigOption

    func run() throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL.path
        let report: RestoreReport
        do {
            report = try SiteRestore.restore(from: folder, configPath: options.config, withConfig: withConfig, force: force)
        } catch let e as BackupError {
            throw CommandFailure(code: e.invalid ? 1 : 2, message: "restore refused: \(e.message)")
        } catch {
            throw CommandFailure.config("restore failed: \(error)")
        }
        let m = report.manifest, paths = report.config.paths
        print("Restored the backup taken \(m.createdAt) on \(m.host): \(m.store.submissions) submission(s), latest period \(m.store.latestPeriod ?? "none")")
        for path in report.written { print("  wrote \(path)") }
        if let replaced = report.replaced {
            let what = replaced.summary.map { "\($0.submissions) submission(s)" } ?? "unreadable"
            print("  the database it replaced (\(what)) is kept at \(replaced.keptAt)")
        }
        for path in report.keptAside { print("  kept aside \(path)") }
        if report.moved > 0 {
            print("  \(report.moved) record(s) now point into \(paths.archive) and \(paths.rejected) (the backup came from \(m.source.archive))")
        }
        print("""
            Before starting the daemon, make sure these hold what they held when the backup was taken \
            (copy them from the old server or their own backup; they never change once written):
              \(paths.archive)/   (was \(m.source.archive))
              \(paths.rejected)/   (was \(m.source.rejected))
            Files received after the backup are in those folders but not in the database: `ruralstat check` lists them.
            The reports of every period are rebuilt at the daemon's next start (systemctl start ruralstat).
            Then run: ruralstat check --config \(options.config)
            """)
    }
}
