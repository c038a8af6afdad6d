// SPDX-License-Identifier: Apache-2.0
import Foundation
public import Logging
public import RuralStatCore
public import RuralStatStore
public import RuralStatConfig
import RuralStatFiles
import RuralStatReading
import XLSX
#if canImport(Glibc)
import Glibc
#endif

/// Makes a store anew from the originals alone: everything the province ever received is in
/// `archive/` and `rejected/`, each under a name that begins with the moment it arrived and its
/// hash (`20251010-081500-1a2b3c4d-name.xlsx`). The files are taken again in the order they
/// arrived, read and checked as the daemon would have then, and recorded where they lie — the
/// same verdicts, supersessions and figures — without moving or answering anything.
public struct StoreRebuild {
    /// What became of the originals, and what the rebuilt store cannot know.
    public struct Summary: Sendable {
        public var accepted = 0, duplicates = 0, rejected = 0
        /// Files whose verdict now differs from the folder they were kept in (a form changed
        /// since, say), with why; they are recorded as the folder says.
        public var disagreements: [String] = []
        /// Files not named as the daemon names its originals (put there by hand): left out.
        public var skipped: [String] = []
        /// Originals whose bytes no longer match the hash their name and the replaced
        /// database give (left out), and originals the replaced database knew that are gone:
        /// what a rebuild would lose. The rebuild is not installed while any is here, unless
        /// the admin accepts the losses.
        public var losses: [String] = []
        public var periods: Set<Period> = []
    }

    public let config: Configuration
    public let definitions: Definitions
    public let logger: Logger

    public init(config: Configuration, definitions: Definitions, logger: Logger) {
        self.config = config
        self.definitions = definitions
        self.logger = logger
    }

    /// An original as the daemon stored it: where it is, when it arrived, its original name.
    struct Original {
        var path: String
        var receivedAt: Date
        var name: String
        /// The first hex digits of its SHA-256, as its name carries them.
        var shaPrefix: String
        var accepted: Bool
        /// `archive/<period>/<unit>/`: the unit and period it was filed under.
        var unit: String?
        var period: Period?
        /// When it was moved where it lies (its inode's change time): the order the daemon
        /// committed files within one second, which the name's stamp cannot tell.
        var placed: Double = 0
    }

    /// The originals under `archive/` and `rejected/`, oldest first (by the time in the name).
    func originals(skipped: inout [String]) -> [Original] {
        var out: [Original] = []
        for (root, accepted) in [(config.paths.archive, true), (config.paths.rejected, false)] {
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let relative = walker.nextObject() as? String {
                guard walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular else { continue }
                guard let name = ArchiveName(parsing: (relative as NSString).lastPathComponent) else {
                    skipped.append(root + "/" + relative)
                    continue
                }
                let parts = relative.split(separator: "/").map(String.init)
                var st = stat()
                let placed = lstat(root + "/" + relative, &st) == 0 ? Double(st.st_ctim.tv_sec) + Double(st.st_ctim.tv_nsec) / 1e9 : 0
                // archive/<period>/<unit>/name; rejected/<day>/<unit>/name when it was dropped in a unit's folder.
                out.append(Original(path: root + "/" + relative, receivedAt: name.receivedAt, name: name.originalName,
                                    shaPrefix: name.shaPrefix, accepted: accepted,
                                    unit: parts.count == 3 ? parts[1] : nil,
                                    period: accepted && parts.count == 3 ? Period(parts[0]) : nil, placed: placed))
            }
        }
        // Within one second, the order the daemon moved them in (the later of two files of one
        // unit and quarter is the one that counts); copied elsewhere, where that is lost, the name.
        return out.sorted { ($0.receivedAt, $0.placed, $0.path) < ($1.receivedAt, $1.placed, $1.path) }
    }

    /// The originals in the order they were recorded: by the replaced database's own order
    /// (its records' ids) where it knew them, which a clock stepped back between two files
    /// cannot reorder; the files it did not know after them, by the time in their names.
    static func inRecordedOrder(_ all: [Original], known: [String: StoredOriginal]) -> [Original] {
        let recorded = all.filter { known[$0.path] != nil }.sorted { known[$0.path]!.id < known[$1.path]!.id }
        return recorded + all.filter { known[$0.path] == nil }
    }

    /// Records every original into `store` (a new, empty one). `known`: the records of the
    /// database being replaced, by where their original lies; an original whose bytes match
    /// neither its name's hash nor that record is left out, and a record whose original is
    /// gone is named, both in `losses`.
    public func run(into store: SubmissionStore, known: [StoredOriginal] = []) throws -> Summary {
        var summary = Summary()
        let check = SubmissionCheck(config: config, definitions: definitions, store: store)
        let recorded = Dictionary(known.map { ($0.storedPath, $0) }, uniquingKeysWith: { a, _ in a })
        let all = Self.inRecordedOrder(originals(skipped: &summary.skipped), known: recorded)
        let present = Set(all.map(\.path))
        for record in known where !present.contains(record.storedPath) {
            summary.losses.append("missing: \(record.storedPath) (submission #\(record.id), \(record.status.rawValue), \"\(record.fileName)\") is gone; the replaced database counted it")
        }
        for original in all {
            let sha: String
            do {
                // As the daemon keyed it: past the size cap, the head only.
                sha = try SHA256.ofSubmission(original.path, maxFileBytes: config.limits.maxFileBytes).sha
            } catch let e as FileError where e.code == EACCES || e.code == EPERM {
                sha = ""   // as the daemon recorded it: a file it could not read
            }
            let expected = recorded[original.path].map(\.sha256).flatMap { $0.isEmpty ? nil : $0 }
            if !sha.isEmpty, !(expected.map { $0 == sha } ?? sha.hasPrefix(original.shaPrefix)) {
                summary.losses.append("altered: \(original.path) has SHA-256 \(sha), its \(expected == nil ? "name says \(original.shaPrefix)…" : "record says \(expected!)"); left out")
                continue
            }
            let at = original.receivedAt
            let file = ReceivedFile(sha256: sha, fileName: original.name, receivedAt: at, storedPath: original.path)
            if original.accepted, let earlier = try store.acceptedSubmission(sha256: sha) {
                _ = try store.recordDuplicate(file: file, of: earlier, actor: "rebuild")
                summary.duplicates += 1
                continue
            }
            let unitFolder = config.intake.unitFolders ? original.unit : nil
            let (result, _) = check.run(path: original.path, expectedUnit: unitFolder, at: at)
            if original.accepted {
                guard let data = result.submission else {
                    let why = result.errors.first.map { "\($0.rule): \($0.message.en)" } ?? "refused"
                    summary.disagreements.append("\(original.path): kept as accepted, but refused now (\(why)); left out of the figures")
                    _ = try store.reject(file: file, unitCode: original.unit, period: original.period, errors: result.errors.count,
                                         reason: "rebuild: " + (result.errors.first?.message.vi ?? "không hợp lệ"), actor: "rebuild")
                    summary.rejected += 1
                    continue
                }
                // Held as the daemon held it: received after its period was closed (the closed
                // periods come from the backup given, copied in before the originals are taken).
                let held = try store.closedAt(data.period).map { at > $0 } ?? false
                _ = try store.accept(data, file: file, warnings: result.warnings, actor: "rebuild", held: held)
                summary.accepted += 1
                summary.periods.insert(data.period)
            } else {
                if result.submission != nil {
                    summary.disagreements.append("\(original.path): kept as refused, but accepted now; recorded as refused, as it was answered")
                }
                let firstError = result.errors.first.map { $0.message.vi } ?? "không hợp lệ"
                // As the daemon recorded it: with unit folders, under the folder's unit whatever the cover says.
                let unit = unitFolder ?? result.unitCode
                _ = try store.reject(file: file, unitCode: unit, period: result.period, errors: max(1, result.errors.count),
                                     reason: firstError, actor: "rebuild")
                summary.rejected += 1
            }
        }
        return summary
    }
}
