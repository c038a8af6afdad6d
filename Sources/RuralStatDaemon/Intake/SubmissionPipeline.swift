// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import CellModel
public import Logging
public import RuralStatCore
public import RuralStatStore
import RuralStatRender
import XLSX
public import RuralStatConfig
import RuralStatFiles
import RuralStatReading
#if canImport(Glibc)
import Glibc
#endif

/// Takes one claimed file to its verdict: hash, read, validate, store, answer the unit, and
/// move the original to the archive or to `rejected/`. The order makes a crash harmless: the
/// database is written first, then the feedback, then the file is moved; a file found in
/// `work/` at start whose verdict is already recorded is finished, not counted twice.
public struct SubmissionPipeline: Sendable {
    public let config: Configuration
    public let definitions: Definitions
    public let store: SubmissionStore
    public let logger: Logger
    public var now: @Sendable () -> Date = { Date() }
    /// Reads and checks a file against the form and the store's history.
    let check: SubmissionCheck

    public init(config: Configuration, definitions: Definitions, store: SubmissionStore, logger: Logger) {
        self.config = config
        self.definitions = definitions
        self.store = store
        self.logger = logger
        check = SubmissionCheck(config: config, definitions: definitions, store: store)
    }

    /// Reads, hashes and commits one file.
    public func process(_ file: ClaimedFile) throws -> ProcessOutcome {
        try commit(prepare(file))
    }

    /// Hashes the file and checks it against the schema. Reads the store (last quarter's
    /// figures, whether the bytes are known) but writes nothing: safe to run for several files
    /// at once.
    public func prepare(_ file: ClaimedFile) throws -> PreparedFile {
        let started = Date()
        let receivedAt = now()
        let hashed: (sha: String, size: Int64, modified: Double)
        do {
            hashed = try hashFile(file.workPath)
        } catch let e as FileError where e.code == EACCES || e.code == EPERM {
            // Not ours to read (mode 000, another owner): answered and kept, not left waiting.
            return PreparedFile(file: file, sha256: "", receivedAt: receivedAt,
                                checked: (ValidationResult(findings: [Self.unreadableFile(e)], submission: nil, unitCode: nil, period: nil), []))
        }
        var prepared = PreparedFile(file: file, sha256: hashed.sha, receivedAt: receivedAt)
        prepared.hashedSize = hashed.size
        prepared.hashedModified = hashed.modified
        if let size = file.claimedSize, let modified = file.claimedModified, size != hashed.size || modified != hashed.modified {
            prepared.stillArriving = "it changed after it was taken from the inbox"
            prepared.lookAgainAt = receivedAt.addingTimeInterval(config.intake.settleSeconds)
            return prepared
        }
        let known = try store.acceptedSubmission(sha256: hashed.sha).map { !fromAnotherUnitsFolder(file, $0.unitCode) } ?? false
        if !known {
            let checked = validate(path: file.workPath, expectedUnit: expectedUnit(file), at: receivedAt)
            // Cut short and written to a moment ago: an upload that paused, not a broken file.
            if checked.result.findings.contains(where: { $0.rule == "file.truncated" }),
               receivedAt.timeIntervalSince1970 - hashed.modified < config.intake.arrivalGraceSeconds {
                prepared.stillArriving = "it looks incomplete and was written to \(Int(receivedAt.timeIntervalSince1970 - hashed.modified)) s ago"
                // Judged when the grace time is over, or sooner if its writer comes back to it.
                prepared.lookAgainAt = Date(timeIntervalSince1970: hashed.modified + config.intake.arrivalGraceSeconds)
                return prepared
            }
            prepared.checked = checked
            prepared.checked?.result.findings += file.notes
        }
        prepared.readSeconds = Date().timeIntervalSince(started)
        return prepared
    }

    /// The note for a workbook taken although an editor's owner file is beside it: the file
    /// may be an earlier save than the clerk meant to send.
    static func staleOwnerFile(_ owner: OwnerFile, hours: Double) -> Finding {
        let h = hours == hours.rounded() ? String(Int(hours)) : String(hours)
        return Finding(.warning, rule: "intake.open_in_editor", sheet: nil, cell: nil, value: owner.name, message: LocalizedText(
            vi: "Bên cạnh tệp vẫn còn tệp \(owner.name) của Excel/LibreOffice (tệp đang mở) đã quá \(h) giờ, nên tệp được tiếp nhận như hiện có. Nếu tệp vẫn đang được sửa, hãy đóng Excel, xóa \(owner.name) và gửi lại bản cuối.",
            en: "The editor's owner file \(owner.name) has been beside the file for over \(h) hours, so the file was taken as it is. If it is still being edited, close the editor, delete \(owner.name) and send the final version again."))
    }

    /// The finding for a file the daemon is not allowed to read.
    static func unreadableFile(_ e: FileError) -> Finding {
        Finding(.error, rule: "file.permission", sheet: nil, cell: nil, value: nil, message: LocalizedText(
            vi: "Máy chủ không đọc được tệp (không có quyền đọc). Đề nghị báo quản trị viên kiểm tra quyền của thư mục chia sẻ, rồi gửi lại tệp.",
            en: "The file cannot be read (\(String(cString: strerror(e.code)))): ask the admin to check the share's permissions, then send it again."))
    }

    /// Stores the verdict, answers the unit and moves the original to where it belongs. The
    /// database is written first, then the feedback, then the file is moved, so a file found in
    /// `work/` again after a crash is finished by `resume`, never counted twice. One at a time.
    public func commit(_ prepared: PreparedFile) throws -> ProcessOutcome {
        let file = prepared.file, sha = prepared.sha256, receivedAt = prepared.receivedAt
        if let why = prepared.stillArriving ?? changedSinceHashed(prepared) {
            return try putBack(file, why: why, until: prepared.lookAgainAt ?? receivedAt.addingTimeInterval(config.intake.settleSeconds))
        }
        if file.resumed, !sha.isEmpty, let outcome = try resume(prepared) { return outcome }
        if config.intake.unitFolders, file.unitFolder == nil {
            return try refuseAtRoot(prepared)
        }
        // The same bytes as a file accepted for another unit, dropped in this unit's folder, are
        // not that unit's duplicate (its answer would go to the other unit and this clerk hear
        // nothing): they are checked as this folder's file, and refused for the other's cover.
        if !sha.isEmpty, let earlier = try store.acceptedSubmission(sha256: sha), !fromAnotherUnitsFolder(file, earlier.unitCode) {
            let dest = DurableFiles.freeName(in: archiveFolder(earlier.period, earlier.unitCode), storedName(file, sha, receivedAt))
            try store.recordDuplicate(file: ReceivedFile(sha256: sha, fileName: file.originalName, receivedAt: receivedAt, storedPath: dest), of: earlier)
            let feedback = try writeFeedback(file, unit: earlier.unitCode, period: earlier.period, sha: sha, at: receivedAt,
                                             verdict: .duplicate(ofFile: earlier.fileName), findings: [])
            try DurableFiles.move(file.workPath, to: dest)
            return ProcessOutcome(verdict: .duplicate, unitCode: earlier.unitCode, period: earlier.period, findings: [],
                                  storedPath: dest, answer: feedback)
        }

        let (checked, sheets) = prepared.checked ?? validate(path: file.workPath, expectedUnit: expectedUnit(file), at: receivedAt)
        // Asked again here, one file at a time: two versions read side by side in one batch
        // each saw only what was accepted before the batch.
        let result = check.olderVersion(checked).map { checked.adding($0) } ?? checked
        if let data = result.submission {
            // A closed period's published figures do not change: the file waits for review.
            let held = try store.isClosed(data.period)
            let dest = DurableFiles.freeName(in: archiveFolder(data.period, data.unitCode), storedName(file, sha, receivedAt))
            try store.accept(data, file: ReceivedFile(sha256: sha, fileName: file.originalName, receivedAt: receivedAt, storedPath: dest),
                             warnings: result.warnings, held: held)
            let feedback = try writeFeedback(file, unit: data.unitCode, period: data.period, sha: sha, at: receivedAt,
                                             verdict: held ? .held : .accepted, findings: result.findings, sheets: sheets)
            try DurableFiles.move(file.workPath, to: dest)
            return ProcessOutcome(verdict: held ? .held : .accepted, unitCode: data.unitCode, period: data.period,
                                  findings: result.findings, storedPath: dest, answer: feedback)
        }
        let day = Timestamp.day(receivedAt)
        // With unit folders, under the folder it was dropped in (`rejected/<day>/<unit>/`): the
        // verdict depended on it (a cover naming another unit), and rebuild reads it back from there.
        let keptIn = config.paths.rejected + "/" + day + (config.intake.unitFolders ? file.unitFolder.map { "/" + $0 } ?? "" : "")
        let dest = DurableFiles.freeName(in: keptIn, storedName(file, sha, receivedAt))
        // With unit folders the folder says whose file it is, whatever its cover claims.
        let unit = config.intake.unitFolders ? (file.unitFolder ?? result.unitCode) : (result.unitCode ?? file.unitFolder)
        // Shown by `status` to managers, who read Vietnamese.
        let firstError = result.errors.first.map { $0.message.vi } ?? "không hợp lệ"
        try store.reject(file: ReceivedFile(sha256: sha, fileName: file.originalName, receivedAt: receivedAt, storedPath: dest),
                         unitCode: unit, period: result.period, errors: result.errors.count, reason: firstError)
        let feedback = try writeFeedback(file, unit: unit, period: result.period, sha: sha, at: receivedAt,
                                         verdict: .rejected, findings: result.findings, sheets: sheets)
        try DurableFiles.move(file.workPath, to: dest)
        return ProcessOutcome(verdict: .rejected, unitCode: unit, period: result.period, findings: result.findings,
                              storedPath: dest, answer: feedback)
    }

    /// With unit folders: the file was dropped in the folder of a unit other than `unit`.
    func fromAnotherUnitsFolder(_ file: ClaimedFile, _ unit: String?) -> Bool {
        guard config.intake.unitFolders, let folder = file.unitFolder, let unit else { return false }
        return folder.uppercased() != unit.uppercased()
    }

    /// A file whose size or time moved between hashing and storing is still being written.
    private func changedSinceHashed(_ prepared: PreparedFile) -> String? {
        guard !prepared.sha256.isEmpty else { return nil }
        var st = stat()
        guard lstat(prepared.file.workPath, &st) == 0 else { return nil }
        let modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        return Int64(st.st_size) != prepared.hashedSize || modified != prepared.hashedModified
            ? "it changed while it was being read" : nil
    }

    /// Returns a file that is still being written to the inbox folder it came from, where it
    /// settles again; nothing is recorded and nobody is answered yet.
    private func putBack(_ file: ClaimedFile, why: String, until: Date) throws -> ProcessOutcome {
        let folder = config.paths.inbox + (file.unitFolder.map { "/" + $0 } ?? "")
        let dest = DurableFiles.freeName(in: folder, (file.workPath as NSString).lastPathComponent)
        try DurableFiles.move(file.workPath, to: dest)
        logger.info("a file is still arriving; it is back in the inbox", metadata: ["file.name": "\(file.originalName)", "reason": "\(why)"])
        return ProcessOutcome(verdict: .arriving, unitCode: file.unitFolder, period: nil, findings: [], storedPath: dest, answer: nil,
                              notBefore: until)
    }

    /// With unit folders, the inbox root is no unit's: a file dropped there is refused, kept,
    /// and answered to the admin (`feedback/_admin/`), since no unit can be told.
    private func refuseAtRoot(_ prepared: PreparedFile) throws -> ProcessOutcome {
        let file = prepared.file, sha = prepared.sha256, receivedAt = prepared.receivedAt
        let finding = Finding(.error, rule: "intake.root", sheet: nil, cell: nil, value: nil, message: LocalizedText(
            vi: "Tệp được đặt ở thư mục gốc của hộp thư, không thuộc thư mục của đơn vị nào. Mỗi đơn vị nộp vào thư mục mang mã của mình (inbox/<mã đơn vị>/).",
            en: "The file was dropped at the root of the inbox, which belongs to no unit. Each unit drops its files into the folder named by its code (inbox/<unit code>/)."))
        let dest = DurableFiles.freeName(in: config.paths.rejected + "/" + Timestamp.day(receivedAt), storedName(file, sha, receivedAt))
        try store.reject(file: ReceivedFile(sha256: sha, fileName: file.originalName, receivedAt: receivedAt, storedPath: dest),
                         unitCode: nil, period: nil, errors: 1, reason: finding.message.vi)
        let feedback = try writeFeedback(file, unit: Self.adminFolder, period: nil, sha: sha, at: receivedAt, verdict: .rejected, findings: [finding])
        try DurableFiles.move(file.workPath, to: dest)
        return ProcessOutcome(verdict: .rejected, unitCode: nil, period: nil, findings: [finding], storedPath: dest, answer: feedback)
    }

    /// The feedback folder for answers no unit can be given.
    static let adminFolder = "_admin"

    /// Reads and validates a workbook as received at `at` (now when not given); a file that
    /// cannot be read becomes one finding.
    public func validate(path: String, expectedUnit: String?, at: Date? = nil) -> (result: ValidationResult, sheets: [SheetCells]) {
        check.run(path: path, expectedUnit: expectedUnit, at: at ?? now())
    }

    func expectedUnit(_ file: ClaimedFile) -> String? {
        config.intake.unitFolders ? file.unitFolder : nil
    }

    /// SHA-256 of the file (past the size cap only the head: the reader refuses such a file
    /// without reading it), with its size and time from before the reading: a writer still at
    /// work moves them.
    private func hashFile(_ path: String) throws -> (sha: String, size: Int64, modified: Double) {
        let d = try SHA256.ofSubmission(path, maxFileBytes: config.limits.maxFileBytes)
        return (d.sha, d.size, d.modified)
    }

    private func archiveFolder(_ period: Period?, _ unit: String?) -> String {
        config.paths.archive + "/" + (period?.description ?? "unknown") + "/" + (unit ?? "unknown")
    }

    /// The name the original is kept under (see `ArchiveName`).
    private func storedName(_ file: ClaimedFile, _ sha: String, _ at: Date) -> String {
        ArchiveName(receivedAt: at, sha256: sha, originalName: file.originalName).fileName
    }
}
