// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
public import RuralStatMail
public import RuralStatPublishing

/// The managers' "reports updated" message for a period: who has sent, the province's main
/// figures, and the report workbooks attached.
public enum ReportsMail {
    /// The figures the body quotes, with their Vietnamese labels and units.
    static let headline: [(id: String, label: String, unit: String)] = [
        ("villages.rows", "Số làng nghề", "làng"), ("villages.labourers", "Lao động làng nghề", "người"),
        ("villages.production_value", "Giá trị sản xuất làng nghề trong quý", "triệu đồng"),
        ("projects.approved_budget", "Kinh phí khuyến công được duyệt", "triệu đồng"),
        ("projects.disbursed", "Kinh phí khuyến công giải ngân trong quý", "triệu đồng"),
    ]

    public static func message(period: Period, province: Province, completeness: Completeness,
                               figures: [String: FigureComparison], reports: [String], settings: MailSettings, at: Date,
                               approvalNote: String? = nil) -> MailMessage {
        let submitted = completeness.onTime + completeness.late
        var lines = [
            "\(province.name): báo cáo \(period.vietnameseTitle) đã được cập nhật.",
            "",
            "Đơn vị đã nộp: \(submitted)/\(completeness.expected) (đúng hạn \(completeness.onTime), muộn \(completeness.late)); "
                + "bị trả lại chưa nộp lại: \(completeness.rejected); chưa nộp: \(completeness.missing).",
            "",
        ]
        if let approvalNote { lines += [approvalNote, ""] }
        for h in headline {
            guard let v = figures[h.id]?.quarter else { continue }
            lines.append("- \(h.label): \(OutlierText.vietnamese(v, exact: true)) \(h.unit)")
        }
        lines += ["", "Các biểu báo cáo đính kèm: " + reports.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + ".",
                  "", "---", "\(province.name): the reports for \(period) were updated; \(submitted) of \(completeness.expected) units have sent. "
                  + "The report workbooks are attached."]
        let text = lines.joined(separator: "\n")
        let attachments = reports.compactMap { path -> MailMessage.Attachment? in
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return .init(fileName: (path as NSString).lastPathComponent, contentType: MailMessage.Attachment.contentType(of: path), data: data)
        }
        return MailMessage(from: settings.from, to: settings.managers,
                           subject: "Báo cáo \(period.vietnameseTitle) đã cập nhật: \(submitted)/\(completeness.expected) đơn vị đã nộp",
                           text: text, html: nil, attachments: attachments, date: at)
    }
}
