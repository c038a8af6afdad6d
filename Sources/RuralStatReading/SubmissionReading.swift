// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import CellModel
public import RuralStatCore
public import RuralStatConfig
public import XLSX

/// Reading a workbook and validating it, shared by the daemon and `ruralstat validate`.
public enum SubmissionReading {
    public static func validate(path: String, definitions: Definitions, province: Province,
                                limits: ReadLimits = ReadLimits(), expectedUnit: String? = nil,
                                window: (PeriodWindow, Date)? = nil,
                                previous: (String, Period) -> SubmissionData? = { _, _ in nil },
                                outliers: ((String, Period) -> OutlierEvidence?)? = nil) -> ValidationResult {
        read(path: path, definitions: definitions, province: province, limits: limits, expectedUnit: expectedUnit,
             window: window, previous: previous, outliers: outliers).result
    }

    /// Validates, and also returns the form's sheets as read (empty when the file is unreadable),
    /// for the feedback workbook.
    public static func read(path: String, definitions: Definitions, province: Province,
                            limits: ReadLimits = ReadLimits(), expectedUnit: String? = nil,
                            window: (PeriodWindow, Date)? = nil, heldPeriod: () -> Period? = { nil },
                            previous: (String, Period) -> SubmissionData? = { _, _ in nil },
                            outliers: ((String, Period) -> OutlierEvidence?)? = nil) -> (result: ValidationResult, sheets: [SheetCells]) {
        do {
            let reader = try WorkbookReader(path: path, limits: limits)
            var sheets: [SheetCells] = []
            for wanted in definitions.schema.sheets {
                // A visible sheet of that name first: hidden sheets are drafts and lists.
                let matching = reader.sheets.filter { TextMatching.same($0.name, wanted.name) }
                if let info = matching.first(where: { $0.state == "visible" }) ?? matching.first {
                    sheets.append(try reader.cells(of: info))
                }
            }
            let validator = SubmissionValidator(schema: definitions.schema, province: province)
            var result = validator.validate(sheets: sheets, expectedUnit: expectedUnit, previous: previous, outliers: outliers)
            if let (window, at) = window, let period = result.period {
                let year = definitions.schema.field(role: .year)
                if let finding = window.check(period, at: at, held: heldPeriod, sheet: year?.0.name,
                                                  cell: year.map { CellAddress(row: $0.1.row, column: $0.1.column).a1 }) {
                    result = result.adding(finding)
                }
            }
            return (result, sheets)
        } catch let error as XLSXError {
            return (ValidationResult(findings: [unreadable(error)], submission: nil, unitCode: nil, period: nil), [])
        } catch {
            return (ValidationResult(findings: [Finding(.error, rule: "file.unreadable", sheet: nil, cell: nil, value: nil,
                                                        message: LocalizedText(vi: "Không đọc được tệp: \(error)", en: "The file cannot be read: \(error)"))],
                                     submission: nil, unitCode: nil, period: nil), [])
        }
    }

    /// The reader's refusal as a finding, in both languages.
    public static func unreadable(_ e: XLSXError) -> Finding {
        let vi: String
        switch e.kind {
        case .notAZip: vi = "Tệp không phải là bảng tính Excel .xlsx (có thể là tệp .xls cũ, CSV hoặc tệp khác bị đổi tên). Mở bằng Excel, chọn Lưu thành → Excel Workbook (.xlsx) rồi gửi lại."
        case .encrypted: vi = "Tệp đang đặt mật khẩu. Gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) rồi gửi lại."
        case .truncated: vi = "Tệp bị thiếu hoặc hỏng, có thể do tải lên bị gián đoạn. Đề nghị gửi lại tệp."
        case .noWorksheet: vi = "Không đọc được trang tính nào trong tệp này. Mở bằng Excel hoặc LibreOffice, lưu lại đúng biểu mẫu (đủ các trang tính) rồi gửi lại."
        case .missingPart, .malformed: vi = "Tệp bị hỏng hoặc không đúng cấu trúc bảng tính. Mở bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi gửi lại."
        case .limitExceeded: vi = "Tệp vượt quá giới hạn cho phép và bị từ chối (\(e.message)). Chỉ gửi biểu mẫu báo cáo, không kèm dữ liệu khác."
        case .io, .writer: vi = "Không đọc được tệp. Đề nghị gửi lại."
        }
        return Finding(.error, rule: "file." + e.kind.rawValue, sheet: nil, cell: nil, value: nil,
                       message: LocalizedText(vi: vi, en: e.message))
    }
}
