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

    func writeFeedback(_ file: ClaimedFile, unit: String?, period: Period?, sha: String, at: Date,
                               verdict: FeedbackText.Verdict, findings all: [Finding], sheets: [SheetCells] = []) throws -> UnitAnswer {
        let findings = Self.listed(all)
        // A file of no unit: with unit folders it was dropped at the root, the admin's to hear of
        // (also when it is finished after a failure, from a record that has no unit).
        let owner = unit ?? file.unitFolder ?? (config.intake.unitFolders ? Self.adminFolder : "_unknown")
        let folder = config.paths.feedback + "/" + owner
        if owner == "_unknown" || owner == Self.adminFolder {
            // Answers no unit may read (the admin's, a file of no known unit): the daemon's alone,
            // whatever group the feedback folder passes on.
            try DurableFiles.makeDirectory(folder, mode: 0o700)
            chmod(folder, 0o700)
        }
        let stem = (file.originalName as NSString).deletingPathExtension
        let kind: String
        switch verdict {
        case .accepted: kind = "tiep-nhan"
        case .rejected: kind = "loi"
        case .duplicate: kind = "trung"
        case .held: kind = "cho-duyet"
        }
        let path = folder + "/" + FileNames.fit(stem, suffix: "." + Timestamp.compact(at) + "-" + sha.prefix(8) + "." + kind + ".txt")
        // The unit is named as configured beside its code, the time in Vietnam's (the clerk's) clock.
        let name = unit.flatMap { config.province.unit($0)?.name }
        let text = FeedbackText.render(fileName: file.originalName, receivedAt: at, sha256: sha,
                                       unitCode: unit, unitName: name, period: period, verdict: verdict, findings: findings)
        // A byte order mark so that Notepad on an office PC shows the Vietnamese correctly.
        try DurableFiles.publish(path, data: Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8))
        // The unit's own sheets with the cells in question marked, when there is something to mark.
        var workbook: String?
        if !sheets.isEmpty && !findings.isEmpty {
            let header = FeedbackWorkbook.Header(fileName: file.originalName, receivedAt: at, sha256: sha, unitCode: unit, unitName: name,
                                                 period: period, accepted: all.allSatisfy { $0.severity == .warning })
            let marked = String(path.dropLast(4)) + ".xlsx"
            try DurableFiles.publish(marked) { temp in
                try FeedbackWorkbook().write(to: temp, header: header, sheets: sheets, findings: findings)
            }
            workbook = marked
        }
        return UnitAnswer(path: path, text: text, workbook: workbook)
    }
}
