// SPDX-License-Identifier: Apache-2.0
import CellModel
public import Foundation

/// The answer a unit finds in its feedback folder: a receipt for an accepted file, or the
/// list of corrections for a rejected one. Vietnamese first, English after.
public enum FeedbackText {
    public enum Verdict: Sendable { case accepted, rejected, duplicate(ofFile: String), held }

    /// `receivedAt` is given in Vietnam's time; `unitName`, the configured name of `unitCode`,
    /// beside it.
    public static func render(fileName: String, receivedAt: Date, sha256: String, unitCode: String?, unitName: String?, period: Period?,
                              verdict: Verdict, findings: [Finding]) -> String {
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.count - errors
        var vi: [String] = [], en: [String] = []
        vi.append("PHẢN HỒI VỀ TỆP BÁO CÁO")
        en.append("FEEDBACK ON THE SUBMITTED FILE")
        vi.append("Tệp: \(fileName)"); en.append("File: \(fileName)")
        let received = VietnamTime.received(receivedAt)
        vi.append("Nhận lúc: \(received.vi)"); en.append("Received: \(received.en)")
        if let unit = unit(code: unitCode, name: unitName) { vi.append("Đơn vị: \(unit)"); en.append("Unit: \(unit)") }
        if let period { vi.append("Kỳ báo cáo: \(period.vietnameseTitle)"); en.append("Period: \(period)") }
        vi.append("Mã kiểm tra (SHA-256): \(sha256)"); en.append("Checksum (SHA-256): \(sha256)")
        vi.append("")
        en.append("")
        switch verdict {
        case .accepted:
            vi.append("KẾT QUẢ: ĐÃ TIẾP NHẬN. Đây là số liệu được dùng cho kỳ báo cáo này; nếu gửi lại, bản mới nhất sẽ thay thế.")
            en.append("RESULT: ACCEPTED. These figures now count for the period; a later file replaces them.")
            if warnings > 0 {
                vi.append("Có \(warnings) cảnh báo, đề nghị kiểm tra lại:")
                en.append("\(warnings) warning(s) to check:")
            }
        case .held:
            vi.append("KẾT QUẢ: TẠM GIỮ. Tệp hợp lệ nhưng kỳ báo cáo đã khóa sổ; số liệu sẽ được Sở xem xét trước khi thay đổi báo cáo đã công bố.")
            en.append("RESULT: HELD. The file is valid but the period is closed; the Department reviews it before published figures change.")
        case .duplicate(let original):
            vi.append("KẾT QUẢ: TRÙNG. Tệp này giống hệt tệp \(original) đã tiếp nhận trước đó; số liệu không thay đổi.")
            en.append("RESULT: DUPLICATE. This file is identical to \(original), received earlier; nothing changed.")
        case .rejected:
            vi.append("KẾT QUẢ: CHƯA TIẾP NHẬN. Có \(errors) lỗi cần sửa. Sửa các ô dưới đây rồi gửi lại toàn bộ tệp.")
            en.append("RESULT: REJECTED. \(errors) error(s) to correct. Fix the cells below and send the whole file again.")
        }
        if !findings.isEmpty {
            vi.append(FindingsText.render(findings, language: .vi))
            en.append(FindingsText.render(findings, language: .en))
        }
        return (vi + ["", "----------------------------------------", ""] + en).joined(separator: "\r\n") + "\r\n"
    }

    /// "Phường Hải Dương (10525)": a unit as an answer names it, its code alone when it has no
    /// known name; nil without a code.
    public static func unit(code: String?, name: String?) -> String? {
        guard let code else { return nil }
        guard let name, !name.isEmpty else { return code }
        return "\(name) (\(code))"
    }
}
