// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
public import RuralStatMail

/// The message a unit gets for every file it sends: the receipt, or the refusal with the feedback
/// workbook attached and the findings listed; Vietnamese first, English below (the text of the
/// answer written in `feedback/`).
public enum UnitAnswerMail {
    /// The message for `outcome`, or nil when the unit has no address (or is not known).
    public static func message(for outcome: ProcessOutcome, fileName: String, province: Province, settings: MailSettings,
                               at: Date) -> MailMessage? {
        guard let code = outcome.unitCode, let unit = province.unit(code), let to = unit.email, !to.isEmpty,
              let answer = outcome.answer else { return nil }
        let period = outcome.period.map { " \($0.vietnameseTitle)" } ?? ""
        let errors = outcome.findings.filter { $0.severity == .error }.count
        let warnings = outcome.findings.count - errors
        let subject: String
        switch outcome.verdict {
        case .accepted: subject = warnings > 0 ? "Đã tiếp nhận báo cáo\(period), có \(warnings) cảnh báo cần xem lại" : "Đã tiếp nhận báo cáo\(period)"
        case .rejected: subject = "Báo cáo\(period) chưa được tiếp nhận: \(errors) lỗi cần sửa"
        case .duplicate: subject = "Tệp gửi lại trùng với báo cáo\(period) đã tiếp nhận"
        case .held: subject = "Báo cáo\(period) đã nhận, chờ xem xét (kỳ đã khóa)"
        case .arriving: return nil
        }
        var attachments: [MailMessage.Attachment] = []
        if let workbook = answer.workbook, let data = FileManager.default.contents(atPath: workbook) {
            attachments.append(.init(fileName: (workbook as NSString).lastPathComponent, contentType: MailMessage.Attachment.contentType(of: workbook), data: data))
        }
        return MailMessage(from: settings.from, to: to, subject: "[\(unit.code)] " + subject + " – " + fileName,
                           text: answer.text, attachments: attachments, date: at)
    }
}
