// SPDX-License-Identifier: Apache-2.0
public import Foundation
import RuralStatCore
import RuralStatStore
public import RuralStatConfig
import RuralStatFiles
import XLSX
#if canImport(Glibc)
import Glibc
#endif

/// One thing `ruralstat check` found wrong, with the path it concerns.
public struct HealthProblem: Sendable, Hashable {
    /// What is wrong; its raw value is what `check --json` prints as `kind`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case database
        case originalMissing = "original-missing"
        case originalAltered = "original-altered"
        case originalUnreadable = "original-unreadable"
        case unknownFile = "unknown-file"
        case stuckInWork = "stuck-in-work"
        case reportsStale = "reports-stale"
        case reportMissing = "report-missing"
        case definitions
        case sharePermissions = "share-permissions"
    }

    public var kind: Kind
    public var path: String
    public var message: String

    public init(kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }
}

/// What `ruralstat check` found, and how much it looked at.
public struct HealthReport: Sendable {
    public var problems: [HealthProblem] = []
    /// What was checked, by name (`submissions`, `originals_hashed`, `archive_files`…).
    public var checked: [(name: String, count: Int)] = []
    public var ok: Bool { problems.isEmpty }
}

/// Checks that a site's database, originals and reports agree: the database's
/// `integrity_check`; every record's original where the record says, with the same SHA-256;
/// nothing in `archive/` or `rejected/` that no record names; nothing left in `work/`; every
/// period's reports published from its latest data, their files present.
public struct HealthCheck {
    public let config: Configuration
    /// A file in `work/` longer than this is stuck (the daemon holds a file for seconds).
    public var stuckAfter: TimeInterval = 300
    public var now: () -> Date = { Date() }

    public init(config: Configuration) {
        self.config = config
    }

    public func run() throws -> HealthReport {
        var report = HealthReport()
        func problem(_ kind: HealthProblem.Kind, _ path: String, _ message: String) {
            report.problems.append(HealthProblem(kind: kind, path: path, message: message))
        }
        let fm = FileManager.default
        let database = config.paths.database
        guard fm.fileExists(atPath: database) else {
            problem(.database, database, "there is no database here: restore it from a backup (ruralstat restore) before starting the daemon")
            return report
        }

        // The folders are listed before the records are read: the daemon records a file before
        // it moves it there, so a file listed now is known to the records read next.
        let archived = files(under: config.paths.archive)
        let rejected = files(under: config.paths.rejected)
        let inWork = files(under: config.paths.work)

        // A database SQLite cannot read is a finding like any other (exit 1, in the JSON), not a failure of check.
        let store: SubmissionStore
        let originals: [StoredOriginal]
        do {
            store = try SubmissionStore(path: database)
            let integrity = try store.integrityProblems()
            for line in integrity.prefix(20) { problem(.database, database, "integrity_check: \(line)") }
            if integrity.count > 20 { problem(.database, database, "integrity_check: \(integrity.count - 20) more problem(s)") }
            originals = try store.storedOriginals()
        } catch {
            problem(.database, database, "the database cannot be read (\(error)): restore it from a backup (ruralstat restore), or rebuild it from the archive (ruralstat rebuild)")
            return report
        }
        let (recorded, present, hashed) = checkOriginals(originals, inWork: inWork, problem)
        for file in archived + rejected where !recorded.contains(file.path) {
            problem(.unknownFile, file.path, "no record of the database names this file (received after the backup the database was restored from, or put there by hand)")
        }
        let stuck = inWork.filter { now().timeIntervalSince($0.changed) > stuckAfter }
        for file in stuck {
            let minutes = Int(now().timeIntervalSince(file.changed) / 60)
            problem(.stuckInWork, file.path, "in work/ for \(minutes) minute(s): the daemon could not finish it (see `journalctl -u ruralstat` and `ruralstat status`), or it is not running")
        }

        let periods: [Period], reportFiles: Int
        do {
            (periods, reportFiles) = try checkReports(store, problem)
        } catch {
            problem(.database, database, "the database cannot be read (\(error)): restore it from a backup (ruralstat restore), or rebuild it from the archive (ruralstat rebuild)")
            return report
        }
        let apart = checkUnitsApart(problem)
        report.checked = [
            ("submissions", originals.count), ("originals_present", present), ("originals_hashed", hashed),
            ("archive_files", archived.count), ("rejected_files", rejected.count), ("work_files", inWork.count),
            ("periods", periods.count), ("report_files", reportFiles), ("integrity_check", 1), ("unit_accounts", apart),
        ]
        return report
    }

    /// Each record's original: where its record says, with the SHA-256 it says. Returns the
    /// paths the records name, how many originals are present and how many were hashed.
    private func checkOriginals(_ originals: [StoredOriginal], inWork: [(path: String, changed: Date)],
                                _ problem: (HealthProblem.Kind, String, String) -> Void) -> (Set<String>, Int, Int) {
        let workNames = Set(inWork.map { ($0.path as NSString).lastPathComponent })
        var recorded = Set<String>()
        var hashed = 0, present = 0
        for original in originals {
            recorded.insert(original.storedPath)
            let path = original.storedPath
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
                // Recorded, and still in work/ on its way here: the daemon is moving it now.
                if workNames.contains(original.fileName) { continue }
                let outside = !path.hasPrefix(config.paths.archive + "/") && !path.hasPrefix(config.paths.rejected + "/")
                problem(.originalMissing, path, "the original of submission \(original.id) (\(original.status.rawValue), \"\(original.fileName)\") is not where its record says"
                        + (outside ? "; the record points outside this configuration's archive and rejected folders (was the site moved without `ruralstat restore`?)" : ""))
                continue
            }
            present += 1
            // A file the daemon was not allowed to read was kept unhashed: present is enough.
            guard !original.sha256.isEmpty else { continue }
            do {
                // As the daemon hashed it: past the size cap, only the head.
                let sha = try SHA256.ofSubmission(path, maxFileBytes: config.limits.maxFileBytes).sha
                hashed += 1
                if sha != original.sha256 {
                    problem(.originalAltered, path, "the original of submission \(original.id) (\"\(original.fileName)\") has changed since it was received: its SHA-256 is \(sha), the record says \(original.sha256)")
                }
            } catch {
                problem(.originalUnreadable, path, "the original of submission \(original.id) cannot be read: \(error)")
            }
        }
        return (recorded, present, hashed)
    }

    /// With unit folders: each unit whose share account exists has its folders to itself (its
    /// inbox writable and its answers readable by it alone, no group, no others), and the
    /// answers no unit may read (`feedback/_admin`, `_unknown`) are the daemon's alone. Returns
    /// the accounts checked.
    private func checkUnitsApart(_ problem: (HealthProblem.Kind, String, String) -> Void) -> Int {
        guard config.intake.unitFolders else { return 0 }
        var checked = 0
        for unit in SambaShare.reportingUnits(config, at: now()) {
            guard let uid = SambaShare.uid(of: unit.shareAccount) else { continue }
            checked += 1
            let inbox = config.paths.inbox + "/" + unit.code, feedback = config.paths.feedback + "/" + unit.code
            for line in SambaShare.apartProblems(inbox: inbox, feedback: feedback, account: uid) {
                problem(.sharePermissions, inbox, "unit \(unit.code) (account \(unit.shareAccount)): \(line); the daemon sets them at its start (restart it, or run ruralstat samba-conf)")
            }
        }
        for name in ["_admin", "_unknown"] {
            var st = stat()
            let path = config.paths.feedback + "/" + name
            if stat(path, &st) == 0, st.st_mode & 0o077 != 0 {
                problem(.sharePermissions, path, "answers no unit may read are readable by the folder's group or others (mode \(String(st.st_mode & 0o7777, radix: 8))): chmod 700 it")
            }
        }
        return checked
    }

    /// Reports: each period with figures published from its latest data, every file there.
    /// Returns the periods with figures and the report files looked for.
    private func checkReports(_ store: SubmissionStore,
                              _ problem: (HealthProblem.Kind, String, String) -> Void) throws -> (periods: [Period], files: Int) {
        let fm = FileManager.default
        let periods = try store.periodsWithFigures()
        for period in try store.unpublishedPeriods() {
            problem(.reportsStale, config.paths.reports + "/\(period)", "the reports of \(period) were not rebuilt since its latest accepted file; the daemon rebuilds them when it runs (or: ruralstat report --period \(period))")
        }
        var reportFiles = 0
        do {
            let definitions = try Definitions.load(config)
            for period in periods {
                for definition in definitions.reports {
                    let path = "\(config.paths.reports)/\(period)/\(definition.file)-\(period).xlsx"
                    reportFiles += 1
                    if !fm.fileExists(atPath: path) {
                        problem(.reportMissing, path, "the report \(definition.file) of \(period) is missing; run: ruralstat report --period \(period)")
                    }
                }
            }
        } catch {
            problem(.definitions, config.schemaPath, "the schema or report definitions cannot be loaded: \(error)")
        }

        return (periods, reportFiles)
    }

    /// The regular files under `root` (any depth), with the time each last changed place
    /// (its ctime: a rename into `work/` sets it, the upload time does not).
    func files(under root: String) -> [(path: String, changed: Date)] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [(path: String, changed: Date)] = []
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            out.append((path, Date(timeIntervalSince1970: Double(st.st_ctim.tv_sec) + Double(st.st_ctim.tv_nsec) / 1e9)))
        }
        return out.sorted { $0.path < $1.path }
    }
}
