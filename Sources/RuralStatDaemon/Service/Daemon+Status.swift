// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore
import RuralStatFiles
import RuralStatConfig
import Logging
#if canImport(Glibc)
import Glibc
#endif

extension Daemon {
    /// What systemd shows after "Status:" in `systemctl status`: the counts, and first what is wrong.
    func statusLine() -> String {
        var problems: [String] = degraded.keys.sorted().map { "cannot write \($0): \(degraded[$0]!)" }
        if !retries.isEmpty { problems.append("\(retries.count) file(s) in work/ waiting to be tried again") }
        return (problems.isEmpty ? "" : "DEGRADED: " + problems.joined(separator: "; ") + ". ")
            + "\(counts[.accepted, default: 0]) accepted, \(counts[.rejected, default: 0]) rejected, "
            + "\(counts[.duplicate, default: 0]) duplicates, \(counts[.held, default: 0]) held since start; \(arrival.waiting) settling in the inbox"
    }

    /// The inbox removed while running (an admin's mistake, a share remounted) is said and made
    /// again; with unit folders, each configured unit's folder is made too (group-writable,
    /// inheriting the inbox's group), since the root is no place to drop files.
    func ensureInbox() {
        defer { makeUnitFolders() }
        var st = stat()
        if lstat(config.paths.inbox, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR { return }
        unitFoldersMade = false
        do {
            try DurableFiles.makeDirectory(config.paths.inbox, mode: 0o2770)
            logger.error("the inbox folder was missing; it has been created again (check the share's permissions)",
                         metadata: ["folder": "\(config.paths.inbox)"])
            degraded[config.paths.inbox] = nil
        } catch {
            note(folder: config.paths.inbox, error)
        }
    }

    /// With unit folders: each unit that still reports gets its folder, once at start, after a
    /// reload and when the inbox was made again (not at every scan: a commune province has 100+).
    /// A unit whose last quarter was the one before keeps its folder: its file for it is due
    /// after that quarter ends.
    /// Each unit's answers folder and the Samba share's links to both are kept with them
    /// (`SambaShare`): a unit added by a reload can drop and read at once.
    private func makeUnitFolders() {
        guard !unitFoldersMade else { return }
        unitFoldersMade = true
        unitFolders = []
        guard config.intake.unitFolders else { return }
        do {
            unitFolders = try SambaShare.makeFolders(config)
        } catch {
            unitFolders = SambaShare.reportingUnits(config).map { config.paths.inbox + "/" + $0.code }
            logger.error("the units' folders or the share's links could not all be made", metadata: ["error": "\(error)"])
        }
    }

    /// Each unit's blank form for the quarters open for reporting, in its answers folder: once
    /// when a quarter opens (checked at every turn, written only when the quarters change), not
    /// under `serve --once`. A failure is logged and tried again at the next turn.
    func placeBlankForms() {
        let periods = BlankForms.openPeriods(at: Date(), deadlineDays: config.deadlineDays)
        guard periods != formsPlacedFor else { return }
        do {
            let written = try BlankForms(config: config, schema: definitions.schema).place(periods, replace: !formsReplaced)
            formsPlacedFor = periods
            formsReplaced = true
            if written > 0 {
                logger.info("blank forms put in the units' folders", metadata: ["periods": "\(periods.map(\.description).joined(separator: ","))", "forms": "\(written)"])
            }
        } catch {
            note(folder: config.paths.feedback, error)
        }
    }

    /// Records that a folder cannot be written (logged the first time only) and shows it in the status line.
    func note(folder: String, _ error: any Error) {
        let reason = (error as? FileError).map { String(cString: strerror($0.code)) } ?? "\(error)"
        if degraded[folder] != reason {
            logger.error("a folder cannot be written; files wait and are tried again", metadata: ["folder": "\(folder)", "error": "\(error)"])
        }
        degraded[folder] = reason
        notifier.status(statusLine())
    }

    /// Tells systemd's watchdog the loop is alive, at most once per its interval.
    func keepWatchdogFed() {
        guard let beat = notifier.watchdogInterval, Date().timeIntervalSince(lastWatchdog) >= beat else { return }
        notifier.watchdog()
        lastWatchdog = Date()
    }
}
