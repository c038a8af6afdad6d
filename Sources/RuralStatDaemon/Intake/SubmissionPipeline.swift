public import Foundation
public import CellModel
public import Logging
public import RuralStatCore
public import RuralStatStore
public import RuralStatRender
public import XLSX
#if canImport(Glibc)
import Glibc
public import RuralStatConfig
public import RuralStatFiles
public import RuralStatReading
#endif

/// A file taken from the inbox into `work/`, with what is known of where it came from.
public struct ClaimedFile: Sendable, Hashable {
    public var workPath: String
    /// The name the unit gave the file.
    public var originalName: String
    /// The unit whose inbox folder it was dropped in, when units have folders.
    public var unitFolder: String?
    /// Found in `work/` at start, or tried again after a failure: an earlier attempt may have
    /// stored it and stopped before moving it.
    public var resumed: Bool
    /// Size and modification time when it was claimed: a file that changes after that is still
    /// being written, and is not judged.
    public var claimedSize: Int64?
    public var claimedModified: Double?

    public init(workPath: String, originalName: String, unitFolder: String?, resumed: Bool = false,
                claimedSize: Int64? = nil, claimedModified: Double? = nil) {
        self.workPath = workPath
        self.originalName = originalName
        self.unitFolder = unitFolder
        self.resumed = resumed
        self.claimedSize = claimedSize
        self.claimedModified = claimedModified
    }
}

/// A claimed file read, hashed and checked: the part of the work that runs in parallel. Only
/// `SubmissionPipeline.commit` writes, one file at a time.
public struct PreparedFile: Sendable {
    public var file: ClaimedFile
    /// How long hashing, reading and checking took (the log gives each file's own duration).
    public var readSeconds: Double = 0
    public var sha256: String
    public var receivedAt: Date
    /// The verdict of the schema and the sheets as read; nil when the bytes were already
    /// accepted at the time of reading (the commit checks that again, and validates if needed).
    var checked: (result: ValidationResult, sheets: [SheetCells])?
    /// Why the file is not judged yet: it changed while being read, or it looks cut short and
    /// was written to a moment ago. It goes back to the inbox to finish arriving.
    var stillArriving: String?
    /// When to look at a file still arriving again, if it has not changed by then.
    var lookAgainAt: Date?
    /// Size and modification time when it was hashed.
    var hashedSize: Int64 = 0
    var hashedModified: Double = 0
}

/// What became of one file.
public struct ProcessOutcome: Sendable {
    public enum Verdict: String, Sendable {
        case accepted, rejected, duplicate, held
        /// Not judged: still being written; put back in the inbox.
        case arriving
    }
    public var verdict: Verdict
    public var unitCode: String?
    public var period: Period?
    public var findings: [Finding]
    /// Where the original now is (`archive/…` or `rejected/…`; the inbox when still arriving).
    public var storedPath: String
    public var feedbackPath: String
    /// A file still arriving is not taken again before this, unless it changes.
    public var notBefore: Date?
}

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
        let known = try store.acceptedSubmission(sha256: hashed.sha) != nil
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
        }
        prepared.readSeconds = Date().timeIntervalSince(started)
        return prepared
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
        if !sha.isEmpty, let earlier = try store.acceptedSubmission(sha256: sha) {
            let dest = DurableFiles.freeName(in: archiveFolder(earlier.period, earlier.unitCode), storedName(file, sha, receivedAt))
            try store.recordDuplicate(file: ReceivedFile(sha256: sha, fileName: file.originalName, receivedAt: receivedAt, storedPath: dest), of: earlier)
            let feedback = try writeFeedback(file, unit: earlier.unitCode, period: earlier.period, sha: sha, at: receivedAt,
                                             verdict: .duplicate(ofFile: earlier.fileName), findings: [])
            try DurableFiles.move(file.workPath, to: dest)
            return ProcessOutcome(verdict: .duplicate, unitCode: earlier.unitCode, period: earlier.period, findings: [],
                                  storedPath: dest, feedbackPath: feedback)
        }

        let (result, sheets) = prepared.checked ?? validate(path: file.workPath, expectedUnit: expectedUnit(file), at: receivedAt)
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
                                  findings: result.findings, storedPath: dest, feedbackPath: feedback)
        }
        let day = Timestamp.day(receivedAt)
        let dest = DurableFiles.freeName(in: config.paths.rejected + "/" + day, storedName(file, sha, receivedAt))
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
                              storedPath: dest, feedbackPath: feedback)
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
        return ProcessOutcome(verdict: .arriving, unitCode: file.unitFolder, period: nil, findings: [], storedPath: dest, feedbackPath: "",
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
        return ProcessOutcome(verdict: .rejected, unitCode: nil, period: nil, findings: [finding], storedPath: dest, feedbackPath: feedback)
    }

    /// The feedback folder for answers no unit can be given.
    static let adminFolder = "_admin"

    /// Reads and validates a workbook as received at `at` (now when not given); a file that
    /// cannot be read becomes one finding.
    public func validate(path: String, expectedUnit: String?, at: Date? = nil) -> (result: ValidationResult, sheets: [SheetCells]) {
        check.run(path: path, expectedUnit: expectedUnit, at: at ?? now())
    }

    /// A file found in `work/` at start whose bytes were already recorded, but whose record
    /// points at a place where nothing is yet: the earlier run stored the verdict and stopped
    /// before moving the file. The move is finished under that record (and the feedback
    /// written again, under the same name); nothing new is recorded. Nil: not such a file.
    private func resume(_ prepared: PreparedFile) throws -> ProcessOutcome? {
        let file = prepared.file
        let fm = FileManager.default
        guard let record = try store.submissions(sha256: prepared.sha256).last(where: { !fm.fileExists(atPath: $0.storedPath) })
        else { return nil }
        let verdict: ProcessOutcome.Verdict
        let feedbackVerdict: FeedbackText.Verdict
        switch record.status {
        case .accepted, .superseded: verdict = .accepted; feedbackVerdict = .accepted
        case .held: verdict = .held; feedbackVerdict = .held
        case .rejected: verdict = .rejected; feedbackVerdict = .rejected
        case .duplicate:
            verdict = .duplicate
            feedbackVerdict = .duplicate(ofFile: try store.acceptedSubmission(sha256: prepared.sha256)?.fileName ?? record.fileName)
        }
        // The same findings and marked sheets as the first answer had (a duplicate has none):
        // checked again, since bytes already recorded were not checked while being read.
        let checked = verdict == .duplicate ? nil : prepared.checked ?? validate(path: file.workPath, expectedUnit: expectedUnit(file), at: record.receivedAt)
        let findings = checked?.result.findings ?? []
        let feedback = try writeFeedback(file, unit: record.unitCode, period: record.period, sha: prepared.sha256, at: record.receivedAt,
                                         verdict: feedbackVerdict, findings: findings, sheets: checked?.sheets ?? [])
        try DurableFiles.move(file.workPath, to: record.storedPath)
        logger.notice("finished a file an earlier run had stored but not moved", metadata: [
            "file.path": "\(record.storedPath)", "verdict": "\(verdict.rawValue)",
        ])
        return ProcessOutcome(verdict: verdict, unitCode: record.unitCode, period: record.period, findings: findings,
                              storedPath: record.storedPath, feedbackPath: feedback)
    }

    private func expectedUnit(_ file: ClaimedFile) -> String? {
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

    /// A file can have tens of thousands of findings (a whole column wrong); the answer lists
    /// the first ones and says how many more there are: the clerk corrects those and sends again.
    static let listedFindings = 1_000

    /// The findings an answer lists: the first `listedFindings`, errors before warnings, then
    /// one line counting the rest.
    static func listed(_ findings: [Finding]) -> [Finding] {
        guard findings.count > listedFindings else { return findings }
        let ordered = findings.filter { $0.severity == .error } + findings.filter { $0.severity == .warning }
        let rest = ordered.dropFirst(listedFindings - 1)
        let errors = rest.filter { $0.severity == .error }.count
        return Array(ordered.prefix(listedFindings - 1)) + [Finding(errors > 0 ? .error : .warning, rule: "feedback.more", sheet: nil, cell: nil, value: nil,
            message: LocalizedText(
                vi: "Còn \(rest.count) lỗi và cảnh báo khác (\(errors) lỗi) không liệt kê ở đây. Sửa các lỗi trên, kiểm tra các ô tương tự rồi gửi lại cả tệp.",
                en: "\(rest.count) more findings (\(errors) errors) are not listed here. Correct the ones above, check similar cells, and send the whole file again."))]
    }

    private func writeFeedback(_ file: ClaimedFile, unit: String?, period: Period?, sha: String, at: Date,
                               verdict: FeedbackText.Verdict, findings all: [Finding], sheets: [SheetCells] = []) throws -> String {
        let findings = Self.listed(all)
        let folder = config.paths.feedback + "/" + (unit ?? file.unitFolder ?? "_unknown")
        let stem = (file.originalName as NSString).deletingPathExtension
        let kind: String
        switch verdict {
        case .accepted: kind = "tiep-nhan"
        case .rejected: kind = "loi"
        case .duplicate: kind = "trung"
        case .held: kind = "cho-duyet"
        }
        let path = folder + "/" + FileNames.fit(stem, suffix: "." + Timestamp.compact(at) + "-" + sha.prefix(8) + "." + kind + ".txt")
        let text = FeedbackText.render(fileName: file.originalName, receivedAt: Timestamp.readable(at), sha256: sha,
                                       unitCode: unit, period: period, verdict: verdict, findings: findings)
        // A byte order mark so that Notepad on an office PC shows the Vietnamese correctly.
        try DurableFiles.publish(path, data: Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8))
        // The unit's own sheets with the cells in question marked, when there is something to mark.
        if !sheets.isEmpty && !findings.isEmpty {
            let header = FeedbackWorkbook.Header(fileName: file.originalName, receivedAt: Timestamp.readable(at), sha256: sha,
                                                 unitCode: unit, period: period, accepted: all.allSatisfy { $0.severity == .warning })
            try DurableFiles.publish(String(path.dropLast(4)) + ".xlsx") { temp in
                try FeedbackWorkbook().write(to: temp, header: header, sheets: sheets, findings: findings)
            }
        }
        return path
    }

}
