// SPDX-License-Identifier: Apache-2.0
import CellModel

/// What turning a cell's raw text into a value needs, copied out of the reader once per sheet.
struct ValueTable {
    let strings: [String]
    let dates: [(isDate: Bool, hasTime: Bool)]
    let date1904: Bool
    let maxStringLength: Int

    func checkLength(_ s: String) throws {
        try Self.checkLength(s, max: maxStringLength)
    }

    /// Excel's limit on a cell's text, in UTF-16 units as Excel counts them.
    static func checkLength(_ s: String, max: Int) throws {
        if s.utf16.count > max {
            throw XLSXError(.limitExceeded, "A cell holds text longer than \(max) characters, more than Excel allows; the file is refused.")
        }
    }

    func value(type: WorkbookReader.CellType, style: Int, hasValue: Bool, value: UnsafeBufferPointer<UInt8>, formula: [UInt8]?) throws -> CellValue? {
        let noValue: CellValue? = formula.map { .formula(String(decoding: $0, as: UTF8.self)) }
        guard hasValue else { return noValue }
        // An empty value, `<v/>` or `<v></v>`, is no saved result (openpyxl writes formulas
        // so), except for a text result, where it is the empty text Excel saves for `=""`.
        if value.isEmpty && type != .formulaString && type != .inline { return noValue }
        switch type {
        case .shared:
            guard let idx = NumberParsing.double(value).flatMap({ Int(exactly: $0) }) else { return nil }
            guard idx >= 0 && idx < strings.count else {
                throw XLSXError(.malformed, "A cell refers to text that is missing from the file (shared string \(idx)). Save it again from Excel or LibreOffice.")
            }
            let s = strings[idx]
            return s.isEmpty ? nil : .string(s)
        case .inline, .formulaString:
            let s = WorkbookReader.unescapeOOXML(String(decoding: value, as: UTF8.self))
            try checkLength(s)
            return s.isEmpty ? nil : .string(s)
        case .boolean:
            let t = value.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            return .bool(t == [UInt8(ascii: "1")] || String(decoding: t, as: UTF8.self).lowercased() == "true")
        case .error:
            return .error(String(decoding: value, as: UTF8.self))
        case .isoDate:
            let t = String(decoding: value, as: UTF8.self)
            return WorkbookReader.parseISODate(t, date1904: date1904).map { .date($0) } ?? .string(t)
        case .number:
            guard let n = NumberParsing.double(value) else {
                if value.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return noValue }
                throw XLSXError(.malformed, "A number cell holds \"\(String(decoding: value.prefix(40), as: UTF8.self))\", which is not a number. Save the file again from Excel or LibreOffice.")
            }
            if style < dates.count, dates[style].isDate,
               let d = SpreadsheetDate(serial: n, date1904: date1904, hasTime: dates[style].hasTime) {
                return .date(d)
            }
            return .number(n)
        }
    }
}
