public import CellModel
import Foundation

/// A worksheet as the workbook lists it.
public struct SheetInfo: Sendable, Equatable {
    public var name: String
    /// Normalised part name inside the package.
    var part: String
    /// `visible`, `hidden` or `veryHidden`.
    public var state: String
}

/// Reads an .xlsx (or .xlsm) workbook: finds the parts through their relationships, loads the
/// shared strings and styles once, and reads worksheets cell by cell. Never runs macros,
/// never follows a part name onto the file system.
public final class WorkbookReader {
    private let zip: ZipArchive
    private let limits: ReadLimits
    public private(set) var sheets: [SheetInfo] = []
    /// True when dates count from 1904 (old Mac Excel).
    public private(set) var date1904 = false
    private var sharedStrings: [String] = []
    /// Per cell style index: is it a date format, and does it show a time.
    private var styleDates: [(isDate: Bool, hasTime: Bool)] = []
    private var cellsRead = 0

    public init(path: String, limits: ReadLimits = ReadLimits()) throws {
        self.limits = limits
        zip = try ZipArchive(path: path, limits: limits)
        try loadPackage()
    }

    // MARK: package

    private func loadPackage() throws {
        var workbookPart = "xl/workbook.xml"
        if let rels = try zip.read("_rels/.rels") {
            for rel in try parseRelationships(rels, part: "_rels/.rels", base: "")
            where rel.type.hasSuffix("/officeDocument") {
                workbookPart = rel.target
            }
        }
        guard let workbookXML = try zip.read(workbookPart) else {
            throw XLSXError(.missingPart, "The file has no workbook inside; it is not a complete .xlsx workbook. Save it again from Excel or LibreOffice.")
        }
        let base = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let relsPart = (base.isEmpty ? "" : base + "/") + "_rels/" + (workbookPart.split(separator: "/").last.map(String.init) ?? "") + ".rels"
        let rels = try zip.read(relsPart).map { try parseRelationships($0, part: relsPart, base: base) } ?? []
        var byId: [String: Relationship] = [:]
        for r in rels { byId[r.id] = r }

        for r in rels {
            if r.type.hasSuffix("/sharedStrings"), let data = try zip.read(r.target) {
                try loadSharedStrings(data)
            } else if r.type.hasSuffix("/styles"), let data = try zip.read(r.target) {
                try loadStyles(data)
            }
        }
        try withScanner(workbookXML, part: workbookPart) { sc in
            while let ev = try sc.next() {
                guard case .start(let tag) = ev else { continue }
                if sc.equals(tag.name, "workbookPr") {
                    let v = sc.attribute("date1904", in: tag)
                    date1904 = v == "1" || v == "true"
                } else if sc.equals(tag.name, "sheet") {
                    guard let name = sc.attribute("name", in: tag), let rid = sc.attribute("id", in: tag),
                          let rel = byId[rid] else { continue }
                    // Only worksheets hold cells; chartsheets and dialog sheets are skipped.
                    guard rel.type.hasSuffix("/worksheet") else { continue }
                    sheets.append(SheetInfo(name: name, part: rel.target, state: sc.attribute("state", in: tag) ?? "visible"))
                }
            }
        }
    }

    private struct Relationship { var id: String, type: String, target: String }

    private func parseRelationships(_ data: [UInt8], part: String, base: String) throws -> [Relationship] {
        var out: [Relationship] = []
        try withScanner(data, part: part) { sc in
            while let ev = try sc.next() {
                guard case .start(let tag) = ev, sc.equals(tag.name, "Relationship") else { continue }
                guard sc.attribute("TargetMode", in: tag) != "External",
                      let id = sc.attribute("Id", in: tag), let type = sc.attribute("Type", in: tag),
                      let target = sc.attribute("Target", in: tag) else { continue }
                out.append(Relationship(id: id, type: type, target: Self.resolve(target, base: base)))
            }
        }
        return out
    }

    /// Resolves a relationship target against the folder of its source part: absolute
    /// targets start at the package root; `..` steps up; backslashes count as slashes.
    static func resolve(_ target: String, base: String) -> String {
        let t = target.replacingOccurrences(of: "\\", with: "/")
        var parts: [Substring] = t.hasPrefix("/") ? [] : base.split(separator: "/")
        for piece in t.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }

    private func withScanner<T>(_ data: [UInt8], part: String, _ body: (inout XMLScanner) throws -> T) throws -> T {
        try data.withUnsafeBufferPointer { buf in
            var sc = XMLScanner(buf, maxDepth: limits.maxDepth, part: part)
            return try body(&sc)
        }
    }

    private func loadSharedStrings(_ data: [UInt8]) throws {
        try withScanner(data, part: "sharedStrings.xml") { sc in
            var current: [String] = []
            var inPhonetic = 0
            var inText = false
            var inItem = false
            while let ev = try sc.next() {
                switch ev {
                case .start(let tag):
                    if sc.equals(tag.name, "si") { inItem = true; current = [] }
                    else if sc.equals(tag.name, "rPh") && !tag.selfClosing { inPhonetic += 1 }
                    else if sc.equals(tag.name, "t") && !tag.selfClosing { inText = true }
                    else if sc.equals(tag.name, "si") && tag.selfClosing { sharedStrings.append("") }
                case .end(let name):
                    if sc.equals(name, "si") {
                        inItem = false
                        let s = Self.unescapeOOXML(current.joined())
                        try checkLength(s)
                        sharedStrings.append(s)
                    } else if sc.equals(name, "rPh") { inPhonetic -= 1 }
                    else if sc.equals(name, "t") { inText = false }
                case .text(let r, let raw):
                    if inItem && inText && inPhonetic == 0 { current.append(sc.decode(r, raw: raw)) }
                }
            }
        }
    }

    private func loadStyles(_ data: [UInt8]) throws {
        var custom: [Int: String] = [:]
        try withScanner(data, part: "styles.xml") { sc in
            var inCellXfs = false
            while let ev = try sc.next() {
                switch ev {
                case .start(let tag):
                    if sc.equals(tag.name, "numFmt"), let id = sc.attribute("numFmtId", in: tag).flatMap({ Int($0) }) {
                        custom[id] = sc.attribute("formatCode", in: tag) ?? ""
                    } else if sc.equals(tag.name, "cellXfs") {
                        inCellXfs = !tag.selfClosing
                    } else if inCellXfs && sc.equals(tag.name, "xf") {
                        let id = sc.attribute("numFmtId", in: tag).flatMap { Int($0) } ?? 0
                        if let code = custom[id] {
                            styleDates.append(NumberFormats.customIsDate(code))
                        } else {
                            styleDates.append(NumberFormats.builtinIsDate(id))
                        }
                    }
                case .end(let name):
                    if sc.equals(name, "cellXfs") { inCellXfs = false }
                case .text: break
                }
            }
        }
    }

    /// Decodes `_xHHHH_` escapes that OOXML uses for characters XML cannot carry.
    static func unescapeOOXML(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "_x") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            let hex = after.prefix(5)
            if hex.count == 5, hex.last == "_", let v = UInt32(hex.prefix(4), radix: 16), let u = Unicode.Scalar(v) {
                out.unicodeScalars.append(u)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        return out + rest
    }

    private func checkLength(_ s: String) throws {
        if s.utf16.count > limits.maxStringLength {
            throw XLSXError(.limitExceeded, "A cell holds text longer than \(limits.maxStringLength) characters, more than Excel allows; the file is refused.")
        }
    }

    // MARK: worksheets

    /// The sheet named `name`, compared exactly, then ignoring case.
    public func sheet(named name: String) -> SheetInfo? {
        sheets.first { $0.name == name } ?? sheets.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Calls `visit` for every non-empty cell of `sheet` in file order (row by row).
    public func forEachCell(in sheet: SheetInfo, _ visit: (CellAddress, CellValue) throws -> Void) throws {
        _ = try scanSheet(sheet, visit)
    }

    /// Reads every non-empty cell of `sheet`, with its merged ranges.
    public func cells(of sheet: SheetInfo) throws -> SheetCells {
        var out = SheetCells(name: sheet.name)
        out.mergedRanges = try scanSheet(sheet) { address, value in
            out.cells[address] = value
            if address.row > out.lastRow { out.lastRow = address.row }
        }
        return out
    }

    /// Streams one worksheet part; returns its merged ranges.
    private func scanSheet(_ sheet: SheetInfo, _ visit: (CellAddress, CellValue) throws -> Void) throws -> [ClosedRange<CellAddress>] {
        guard let data = try zip.read(sheet.part) else {
            throw XLSXError(.missingPart, "The sheet \"\(sheet.name)\" is listed but missing from the file. Save it again from Excel or LibreOffice.")
        }
        var merged: [ClosedRange<CellAddress>] = []
        try withScanner(data, part: sheet.part) { sc in
            var row = -1
            var column = -1
            // Current cell state.
            var inCell = false
            var address = CellAddress(row: 0, column: 0)
            var type = "n"
            var style = 0
            var valueText: String?
            var formula: String?
            var inline: [String] = []
            var capture: Capture = .none
            var inPhonetic = 0

            while let ev = try sc.next() {
                switch ev {
                case .start(let tag):
                    if sc.equals(tag.name, "c") {
                        column += 1
                        if let r = sc.attributeRange("r", in: tag), let a = sc.cellAddress(r) {
                            address = a
                            column = a.column
                            if row < 0 { row = a.row }
                        } else {
                            address = CellAddress(row: max(row, 0), column: column)
                        }
                        type = sc.attribute("t", in: tag) ?? "n"
                        style = sc.attributeRange("s", in: tag).flatMap { sc.integer($0) } ?? 0
                        valueText = nil
                        formula = nil
                        inline = []
                        inCell = !tag.selfClosing
                    } else if sc.equals(tag.name, "row") {
                        if let r = sc.attributeRange("r", in: tag), let n = sc.integer(r), n > 0 {
                            row = n - 1
                        } else {
                            row += 1
                        }
                        column = -1
                    } else if inCell && !tag.selfClosing {
                        if sc.equals(tag.name, "v") { capture = .value; valueText = "" }
                        else if sc.equals(tag.name, "f") { capture = .formula; formula = formula ?? "" }
                        else if sc.equals(tag.name, "rPh") { inPhonetic += 1 }
                        else if sc.equals(tag.name, "t") && inPhonetic == 0 { capture = .inline }
                    } else if inCell && sc.equals(tag.name, "f") && tag.selfClosing {
                        formula = formula ?? "" // shared formula reference: its value is in <v>
                    } else if sc.equals(tag.name, "mergeCell"),
                              let ref = sc.attribute("ref", in: tag) {
                        let ends = ref.split(separator: ":")
                        if ends.count == 2, let a = CellAddress(a1: String(ends[0])), let b = CellAddress(a1: String(ends[1])), a <= b {
                            merged.append(a...b)
                        }
                    }
                case .text(let r, let raw):
                    switch capture {
                    case .none: break
                    case .value: valueText! += sc.decode(r, raw: raw)
                    case .formula: formula! += sc.decode(r, raw: raw)
                    case .inline: inline.append(sc.decode(r, raw: raw))
                    }
                case .end(let name):
                    if sc.equals(name, "c") {
                        inCell = false
                        if let value = try makeValue(type: type, style: style, valueText: valueText, formula: formula, inline: inline) {
                            cellsRead += 1
                            if cellsRead > limits.maxCells {
                                throw XLSXError(.limitExceeded, "The workbook has more than \(limits.maxCells) filled cells; the file is refused.")
                            }
                            try visit(address, value)
                        }
                    } else if sc.equals(name, "v") || sc.equals(name, "f") || sc.equals(name, "t") {
                        capture = .none
                    } else if sc.equals(name, "rPh") {
                        inPhonetic -= 1
                    } else if sc.equals(name, "row") {
                        column = -1
                    }
                }
            }
        }
        return merged
    }

    private enum Capture { case none, value, formula, inline }

    private func makeValue(type: String, style: Int, valueText: String?, formula: String?, inline: [String]) throws -> CellValue? {
        switch type {
        case "s":
            guard let t = valueText, let idx = Int(t.trimmingCharacters(in: .whitespaces)) else { return nil }
            guard idx >= 0 && idx < sharedStrings.count else {
                throw XLSXError(.malformed, "A cell refers to text that is missing from the file (shared string \(idx)). Save it again from Excel or LibreOffice.")
            }
            let s = sharedStrings[idx]
            return s.isEmpty ? nil : .string(s)
        case "inlineStr":
            let s = Self.unescapeOOXML(inline.joined())
            try checkLength(s)
            return s.isEmpty ? nil : .string(s)
        case "str":
            guard let t = valueText else { return formula.map { .formula($0) } }
            let s = Self.unescapeOOXML(t)
            try checkLength(s)
            return s.isEmpty ? nil : .string(s)
        case "b":
            guard let t = valueText else { return formula.map { .formula($0) } }
            return .bool(t.trimmingCharacters(in: .whitespaces) == "1" || t.lowercased() == "true")
        case "e":
            guard let t = valueText else { return formula.map { .formula($0) } }
            return .error(t)
        case "d":
            guard let t = valueText else { return formula.map { .formula($0) } }
            return Self.parseISODate(t).map { .date($0) } ?? .string(t)
        default:
            guard let t = valueText?.trimmingCharacters(in: .whitespaces), !t.isEmpty else {
                return formula.map { .formula($0) }
            }
            guard let n = Double(t) else {
                throw XLSXError(.malformed, "A number cell holds \"\(t.prefix(40))\", which is not a number. Save the file again from Excel or LibreOffice.")
            }
            if style < styleDates.count, styleDates[style].isDate,
               let d = SpreadsheetDate(serial: n, date1904: date1904, hasTime: styleDates[style].hasTime) {
                return .date(d)
            }
            return .number(n)
        }
    }

    /// Parses `YYYY-MM-DD` with an optional `THH:MM:SS` as written in `t="d"` cells.
    static func parseISODate(_ s: String) -> SpreadsheetDate? {
        let parts = s.split(whereSeparator: { "-T:.Z ".contains($0) }).map { Int($0) }
        guard parts.count >= 3, let y = parts[0], let m = parts[1], let d = parts[2] else { return nil }
        let time = parts.count >= 6 ? (parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0) : (0, 0, 0)
        return SpreadsheetDate(year: y, month: m, day: d, hour: time.0, minute: time.1, second: time.2, hasTime: parts.count >= 6)
    }
}
