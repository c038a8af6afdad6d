// SPDX-License-Identifier: Apache-2.0
public import Foundation
import CellModel
public import RuralStatCore
public import RuralStatMail

/// The dated messages of `MailCalendar`: a reminder or an overdue note to one unit, and the
/// managers' summary at the deadline. Vietnamese first, English below.
public enum DeadlineMail {
    /// What a unit with nothing accepted is told: the quarter, the deadline, and, when it sent a
    /// file that was refused, that the file still needs correcting.
    public static func unitMessage(_ event: MailCalendar.Event, status: UnitStatus, deadline: Date,
                                   settings: MailSettings, at: Date) -> MailMessage? {
        guard let to = status.unit.email, !to.isEmpty else { return nil }
        let unit = status.unit
        let period = event.period
        let last = VietnamTime.lastDayText(before: deadline)
        var vi: [String] = ["Kính gửi: \(unit.name) (mã \(unit.code)),", ""]
        var en: [String] = []
        let subject: String
        switch event {
        case .reminder(_, let days):
            subject = "[\(unit.code)] Nhắc nộp báo cáo \(period.vietnameseTitle): còn \(days) ngày, hạn hết ngày \(last)"
            vi.append("Đến nay chưa có báo cáo \(period.vietnameseTitle) nào của đơn vị được tiếp nhận. "
                + "Hạn nộp là hết ngày \(last) (giờ Việt Nam), còn \(days) ngày.")
            en.append("No report of \(unit.name) for \(period) has been accepted yet. The deadline is the end of \(last) "
                + "(Vietnam time), \(days) day(s) from now.")
        case .overdue:
            subject = "[\(unit.code)] Đã quá hạn nộp báo cáo \(period.vietnameseTitle) (hạn hết ngày \(last))"
            vi.append("Hạn nộp báo cáo \(period.vietnameseTitle) đã hết vào ngày \(last) mà chưa có báo cáo nào của đơn vị được tiếp nhận. "
                + "Đề nghị đơn vị gửi báo cáo sớm nhất; báo cáo gửi sau hạn vẫn được tiếp nhận và ghi là nộp muộn.")
            en.append("The deadline for \(period) passed at the end of \(last) and no report of \(unit.name) has been accepted. "
                + "Please send it as soon as possible; a late report is still accepted and marked late.")
        case .deadline:
            return nil
        }
        if status.state == .rejected {
            vi.append("")
            vi.append("Tệp gửi gần nhất chưa được tiếp nhận vì còn \(status.errors) lỗi; thư trả lời kèm bảng phản hồi "
                + "chỉ rõ ô cần sửa (cũng có trong thư mục feedback/\(unit.code)/). Xin sửa và gửi lại.")
            en.append("The last file sent was refused with \(status.errors) error(s); the answer and its feedback workbook "
                + "(also in feedback/\(unit.code)/) name the cells to correct.")
        }
        vi += ["", "Biểu mẫu của kỳ này, đã ghi sẵn mã đơn vị, được gửi kèm thư này (cũng có trong thư mục phản hồi của đơn vị).",
               "Cách nộp: đặt tệp báo cáo (biểu mẫu .xlsx) vào thư mục \(unit.code) trên thư mục dùng chung của Sở; "
               + "hệ thống tự kiểm tra và gửi thư trả lời.", "", "Thư này được gửi tự động, xin không trả lời thư."]
        en += ["The unit's form for the quarter, its code filled in, is attached (and in the unit's answers folder). "
               + "To send it, put the report form (.xlsx) in the folder \(unit.code) of the shared folder; it is checked "
               + "and answered automatically. This message was sent automatically."]
        let text = (vi + ["", "---", ""] + en).joined(separator: "\n")
        return MailMessage(from: settings.from, to: to, subject: subject, text: text, date: at)
    }

    /// The managers' message the morning after a period's last day: who sent on time, who was
    /// refused and has not sent again, who sent nothing, by area when the units have areas.
    public static func summary(period: Period, province: Province, statuses: [UnitStatus], deadline: Date,
                               settings: MailSettings, at: Date) -> MailMessage {
        let count: (UnitState) -> Int = { s in statuses.filter { $0.state == s }.count }
        let onTime = count(.accepted), late = count(.late), refused = count(.rejected), missing = count(.missing)
        let last = VietnamTime.lastDayText(before: deadline)
        var lines = [
            "\(province.name): hết hạn nộp báo cáo \(period.vietnameseTitle) (hết ngày \(last)).",
            "",
            "- Nộp đúng hạn: \(onTime)/\(statuses.count) đơn vị",
            "- Nộp muộn: \(late)",
            "- Bị trả lại, chưa nộp lại tệp đạt: \(refused)",
            "- Chưa nộp: \(missing)",
        ]
        for (title, state) in [("Đơn vị chưa nộp", UnitState.missing), ("Đơn vị có tệp bị trả lại, chưa nộp lại", .rejected)] {
            let units = statuses.filter { $0.state == state }
            guard !units.isEmpty else { continue }
            lines += ["", "\(title) (\(units.count)):"]
            let byArea = Dictionary(grouping: units) { $0.unit.group ?? "" }
            for area in byArea.keys.sorted() {
                let names = byArea[area]!.map { "\($0.unit.name) (\($0.unit.code))" }.joined(separator: ", ")
                lines.append(area.isEmpty ? "  \(names)" : "  \(area): \(names)")
            }
        }
        lines += ["", "Danh sách chi tiết từng đơn vị có trong báo cáo tình hình nộp báo cáo của kỳ.",
                  "", "---", "",
                  "\(province.name): the deadline for \(period) passed at the end of \(last). On time \(onTime) of \(statuses.count) units, "
                  + "late \(late), refused and not sent again \(refused), nothing sent \(missing). The units are listed above by area; "
                  + "the completeness report of the period has the details."]
        let subject = "Hết hạn nộp báo cáo \(period.vietnameseTitle): \(onTime)/\(statuses.count) đơn vị đúng hạn, \(missing) chưa nộp"
        return MailMessage(from: settings.from, to: settings.managers, subject: subject, text: lines.joined(separator: "\n"), date: at)
    }
}
