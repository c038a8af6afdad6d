// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation

/// Why a cell's content cannot be taken as the value its definition asks for.
struct ValueProblem: Error {
    var rule: String
    var message: LocalizedText
}

/// Reads one cell as the type its schema definition asks for. Pure: a cell in, a value or a
/// problem out; the caller adds the sheet and cell to make a finding.
enum ValueReader {
    static func read(_ cell: CellValue?, _ spec: ValueSpec) -> Result<FactValue?, ValueProblem> {
        guard let cell else { return .success(nil) }
        if case .string(let s) = cell, s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .success(nil) }
        switch cell {
        case .error(let e):
            return .failure(ValueProblem(rule: "cell.error", message: LocalizedText(
                vi: "Ô đang báo lỗi \(e). Sửa công thức hoặc nhập giá trị trực tiếp.",
                en: "The cell shows the error \(e). Fix the formula or type the value.")))
        case .formula(let f):
            return .failure(ValueProblem(rule: "cell.formula_without_value", message: LocalizedText(
                vi: "Ô có công thức =\(f) nhưng chưa có kết quả được lưu. Mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại.",
                en: "The cell has the formula =\(f) but no saved result. Open the file in Excel or LibreOffice, save it and send it again.")))
        default: break
        }
        switch spec.type {
        case .text: return readText(cell, spec)
        case .integer: return readInteger(cell).map { $0.map(FactValue.integer) }.flatMap { bounds($0, spec) }
        case .decimal, .percent:
            return readNumber(cell, percent: spec.type == .percent).map { $0.map(FactValue.decimal) }.flatMap { bounds($0, spec) }
        case .money:
            return readNumber(cell, percent: false).map { $0.map { FactValue.money(dong: Int64(($0 * 1_000_000).rounded())) } }.flatMap { bounds($0, spec) }
        case .date: return readDate(cell).map { $0.map(FactValue.date) }
        case .boolean: return readBool(cell).map { $0.map(FactValue.bool) }
        case .code: return readCode(cell, spec)
        }
    }

    static func textOf(_ cell: CellValue) -> String {
        if case .string(let s) = cell { return s.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping }
        return cell.description
    }

    private static func readText(_ cell: CellValue, _ spec: ValueSpec) -> Result<FactValue?, ValueProblem> {
        let text = textOf(cell)
        if let max = spec.maxLength, text.count > max {
            return .failure(ValueProblem(rule: "text.too_long", message: LocalizedText(
                vi: "Nội dung dài \(text.count) ký tự, vượt quá \(max) ký tự cho phép. Viết ngắn lại.",
                en: "The text is \(text.count) characters long, more than the \(max) allowed. Shorten it.")))
        }
        if let pattern = spec.pattern,
           text.range(of: "^(?:" + pattern + ")$", options: .regularExpression) == nil {
            return .failure(ValueProblem(rule: "text.pattern", message: LocalizedText(
                vi: "\"\(text)\" không đúng định dạng quy định. Xem hướng dẫn của biểu mẫu.",
                en: "\"\(text)\" does not have the required form. See the form's instructions.")))
        }
        return .success(.text(text))
    }

    private static func notANumber(_ cell: CellValue, integer: Bool) -> ValueProblem {
        let what = integer ? ("một số nguyên", "a whole number") : ("một số", "a number")
        return ValueProblem(rule: integer ? "type.integer" : "type.number", message: LocalizedText(
            vi: "Cần nhập \(what.0) nhưng ô đang chứa \"\(cell.description)\". Nhập số, không kèm chữ hay đơn vị.",
            en: "Must be \(what.1) but the cell holds \"\(cell.description)\". Type the number alone, without words or units."))
    }

    private static func readInteger(_ cell: CellValue) -> Result<Int64?, ValueProblem> {
        switch cell {
        case .number(let n) where n == n.rounded() && abs(n) < 9e15: return .success(Int64(n))
        case .number(let n):
            return .failure(ValueProblem(rule: "type.integer", message: LocalizedText(
                vi: "Cần nhập một số nguyên nhưng ô đang chứa \(CellValue.format(n)). Làm tròn thành số nguyên.",
                en: "Must be a whole number but the cell holds \(CellValue.format(n)). Round it to a whole number.")))
        case .string(let s):
            switch VietnameseNumber.read(s) {
            case .value(let v) where v == v.rounded() && abs(v) < 9e15: return .success(Int64(v))
            case .value: return .failure(notANumber(cell, integer: true))
            case .ambiguous(let vi, let en): return .failure(ambiguous(s, vi, en))
            case .englishStyle(let en): return .failure(englishStyle(s, en))
            case .notANumber: return .failure(notANumber(cell, integer: true))
            }
        default: return .failure(notANumber(cell, integer: true))
        }
    }

    /// Numbers typed as text are read the Vietnamese way; text that reads two ways is a finding.
    private static func readNumber(_ cell: CellValue, percent: Bool) -> Result<Double?, ValueProblem> {
        switch cell {
        case .number(let n): return .success(n)
        case .string(let s):
            var text = s.trimmingCharacters(in: .whitespaces)
            if percent && text.hasSuffix("%") { text = String(text.dropLast()) }
            switch VietnameseNumber.read(text) {
            case .value(let v): return .success(v)
            case .ambiguous(let vi, let en): return .failure(ambiguous(s, vi, en))
            case .englishStyle(let en): return .failure(englishStyle(s, en))
            case .notANumber: return .failure(notANumber(cell, integer: false))
            }
        default: return .failure(notANumber(cell, integer: false))
        }
    }

    private static func englishStyle(_ typed: String, _ en: String) -> ValueProblem {
        ValueProblem(rule: "number.ambiguous", message: LocalizedText(
            vi: "\"\(typed)\" được viết theo kiểu tiếng Anh (có thể là \(en)). Nhập số vào ô dạng số, hoặc viết theo kiểu Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân.",
            en: "\"\(typed)\" is written the English way (perhaps \(en)). Type it as a number cell, or write it the Vietnamese way: dots between thousands, a comma before decimals."))
    }

    private static func ambiguous(_ typed: String, _ vi: String, _ en: String) -> ValueProblem {
        ValueProblem(rule: "number.ambiguous", message: LocalizedText(
            vi: "\"\(typed)\" có thể hiểu theo hai cách (\(vi) hoặc \(en)). Nhập số vào ô dạng số, hoặc viết theo kiểu Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân (ví dụ 1.500 hoặc 4,34).",
            en: "\"\(typed)\" can be read two ways (\(vi) the Vietnamese way or \(en) the English way). Type it as a number cell, or write it the Vietnamese way: dots between thousands, a comma before decimals (1.500 or 4,34)."))
    }

    private static func readDate(_ cell: CellValue) -> Result<SpreadsheetDate?, ValueProblem> {
        let problem = ValueProblem(rule: "type.date", message: LocalizedText(
            vi: "Cần nhập một ngày (ví dụ 15/10/2025) nhưng ô đang chứa \"\(cell.description)\".",
            en: "Must be a date (for example 15/10/2025) but the cell holds \"\(cell.description)\"."))
        switch cell {
        case .date(var d):
            d.hasTime = false
            return .success(d)
        case .number(let n) where n >= 1 && n < 2_958_466:
            return .success(SpreadsheetDate(serial: n.rounded(.down), date1904: false, hasTime: false))
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            let parts = t.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map { Int($0) }
            guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else { return .failure(problem) }
            let (y, m, d) = a > 31 ? (a, b, c) : (c, b, a)
            guard (1900...2100).contains(y), (1...12).contains(m), (1...31).contains(d),
                  SpreadsheetDate.civil(fromDays: SpreadsheetDate.days(y, m, d)) == (y, m, d) else { return .failure(problem) }
            return .success(SpreadsheetDate(year: y, month: m, day: d))
        default: return .failure(problem)
        }
    }

    private static func readBool(_ cell: CellValue) -> Result<Bool?, ValueProblem> {
        switch cell {
        case .bool(let b): return .success(b)
        case .number(1): return .success(true)
        case .number(0): return .success(false)
        case .string(let s):
            switch TextMatching.key(s) {
            case "x", "có", "co", "yes", "y", "true", "1", "c": return .success(true)
            case "không", "khong", "no", "n", "false", "0", "k": return .success(false)
            default: break
            }
        default: break
        }
        return .failure(ValueProblem(rule: "type.boolean", message: LocalizedText(
            vi: "Chỉ nhận \"x\" (có) hoặc để trống (không), nhưng đang chứa \"\(cell.description)\".",
            en: "Takes \"x\" (yes) or nothing (no), but holds \"\(cell.description)\".")))
    }

    /// A code is matched by itself, by "code - label" as a drop-down shows it, or by its label.
    private static func readCode(_ cell: CellValue, _ spec: ValueSpec) -> Result<FactValue?, ValueProblem> {
        let codes = spec.codes ?? []
        var typed = textOf(cell)
        if case .number(let n) = cell, n == n.rounded() { typed = String(Int64(n)) }
        // By itself, or "code - label" as the form's drop-down writes it.
        let index = spec.codeIndex.isEmpty ? ValueSpec.codeIndex(codes) : spec.codeIndex
        let key = TextMatching.key(typed)
        if let code = index[key] { return .success(.code(code)) }
        let head = TextMatching.key(String(typed.prefix { $0 != "-" && $0 != "." && $0 != ":" }))
        if let code = index[head], codes.contains(where: { $0.code == code && TextMatching.key($0.code) == head }) {
            return .success(.code(code))
        }
        let list = codes.map { "\($0.code) = \($0.vi)" }.joined(separator: "; ")
        let listEn = codes.map { "\($0.code) = \($0.en)" }.joined(separator: "; ")
        return .failure(ValueProblem(rule: "type.code", message: LocalizedText(
            vi: "Mã \"\(typed)\" không có trong danh mục. Chọn một trong: \(list).",
            en: "The code \"\(typed)\" is not in the list. Use one of: \(listEn).")))
    }

    private static func bounds(_ value: FactValue?, _ spec: ValueSpec) -> Result<FactValue?, ValueProblem> {
        guard let value, let n = value.number else { return .success(value) }
        let unit = spec.unit.map { (" " + $0.vi, " " + $0.en) } ?? ("", "")
        if let min = spec.min, n < min {
            return .failure(ValueProblem(rule: "bounds.min", message: LocalizedText(
                vi: "Giá trị \(value.display) nhỏ hơn mức tối thiểu \(CellValue.format(min))\(unit.0). Kiểm tra lại số liệu.",
                en: "The value \(value.display) is below the minimum of \(CellValue.format(min))\(unit.1). Check the figure.")))
        }
        if let max = spec.max, n > max {
            return .failure(ValueProblem(rule: "bounds.max", message: LocalizedText(
                vi: "Giá trị \(value.display) lớn hơn mức tối đa \(CellValue.format(max))\(unit.0). Kiểm tra lại đơn vị tính và số liệu.",
                en: "The value \(value.display) is above the maximum of \(CellValue.format(max))\(unit.1). Check the unit and the figure.")))
        }
        return .success(value)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
