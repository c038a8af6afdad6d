// SPDX-License-Identifier: Apache-2.0
import Foundation
import CellModel
import Logging
import RuralStatCore
import RuralStatStore
import RuralStatRender
import XLSX
import RuralStatConfig
import RuralStatFiles
import RuralStatReading
#if canImport(Glibc)
import Glibc
#endif

extension SubmissionPipeline {
    /// A file found in `work/` at start whose bytes were already recorded, but whose record
    /// points at a place where nothing is yet: the earlier run stored the verdict and stopped
    /// before moving the file. The move is finished under that record (and the feedback
    /// written again, under the same name); nothing new is recorded. Nil: not such a file.
    func resume(_ prepared: PreparedFile) throws -> ProcessOutcome? {
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
                              storedPath: record.storedPath, answer: feedback)
    }
}
