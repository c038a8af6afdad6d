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
    /// Per cell style index: does it show a percentage.
    private var stylePercents: [Bool] = []
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
            if r.type.hasSuffix("/sharedStrings") {
                try loadSharedStrings(part: r.target)
            } else if r.type.hasSuffix("/styles"), let data = try zip.read(r.target) {
                try loadStyles(data)
            }
        }
        try withScanner(workbookXML, part: workbookPart) { sc in
            while let ev = try sc.next() {
                // Extensions such as <x15:workbookPr> share local names with SpreadsheetML ones.
                guard case .start(let tag) = ev, tag.namespace.isSpreadsheet else { continue }
                if sc.equals(tag.name, "workbookPr") {
                    let v = sc.attribute("date1904", in: tag)
                    date1904 = v == "1" || v == "true"
                } else if sc.equals(tag.name, "sheet") {
                    guard let name = sc.attribute("name", in: tag), let rid = sc.attribute("id", namespace: .relationships, in: tag),
                          let rel = byId[rid] else { continue }
                    // Only worksheets hold cells; chartsheets and dialog sheets are skipped.
                    guard rel.type.hasSuffix("/worksheet") else { continue }
                    sheets.append(SheetInfo(name: name, part: rel.target, state: sc.attribute("state", in: tag) ?? "visible"))
                }
            }
        }
        // Refused here, once, rather than reported as every sheet of a form missing.
        if sheets.isEmpty {
            throw XLSXError(.noWorksheet, "No worksheet could be read from this file: the workbook lists none. Save it again from Excel or LibreOffice with the form's sheets, and send it again.")
        }
    }

    private struct Relationship { var id: String, type: String, target: String }

    private func parseRelationships(_ data: [UInt8], part: String, base: String) throws -> [Relationship] {
        var out: [Relationship] = []
        try withScanner(data, part: part) { sc in
            while let ev = try sc.next() {
                guard case .start(let tag) = ev, tag.namespace == .package || tag.namespace == .none,
                      sc.equals(tag.name, "Relationship") else { continue }
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
        do {
            return try XMLEncoding.utf8(data).withUnsafeBufferPointer { buf in
                var sc = XMLScanner(buf, maxDepth: limits.maxDepth)
                return try body(&sc)
            }
        } catch let e as XLSXError {
            throw e.inPart(part)
        }
    }

    /// Streams the shared-strings part: rich-text runs joined, phonetic runs left out.
    private func loadSharedStrings(part: String) throws {
        guard let entry = try zip.open(part) else { return }
        var stream = XMLStream(entry: entry, part: part, maxDepth: limits.maxDepth)
        var current: [UInt8] = []
        var inPhonetic = 0
        var inText = false
        var inItem = false
        while let ev = try stream.next() {
            switch ev {
            case .start(let tag) where tag.namespace.isSpreadsheet:
                if stream.scanner.equals(tag.name, "si") {
                    if tag.selfClosing { sharedStrings.append("") } else { inItem = true; current.removeAll(keepingCapacity: true) }
                } else if stream.scanner.equals(tag.name, "rPh") && !tag.selfClosing {
                    inPhonetic += 1
                } else if stream.scanner.equals(tag.name, "t") && !tag.selfClosing {
                    inText = true
                }
            case .start: break
            case .end(let name, let namespace) where namespace.isSpreadsheet:
                if stream.scanner.equals(name, "si") {
                    inItem = false
                    let text = Self.unescapeOOXML(String(decoding: current, as: UTF8.self))
                    try checkLength(text)
                    sharedStrings.append(text)
                } else if stream.scanner.equals(name, "rPh") {
                    inPhonetic -= 1
                } else if stream.scanner.equals(name, "t") {
                    inText = false
                }
            case .end: break
            case .text(let r, let raw):
                if inItem && inText && inPhonetic == 0 {
                    stream.scanner.appendText(r, raw: raw, to: &current)
                    if current.count > limits.maxStringLength * 4 {
                        throw XLSXError(.limitExceeded, "A cell holds text longer than \(limits.maxStringLength) characters, more than Excel allows; the file is refused.")
                    }
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
                case .start(let tag) where tag.namespace.isSpreadsheet:
                    if sc.equals(tag.name, "numFmt"), let id = sc.attribute("numFmtId", in: tag).flatMap({ Int($0) }) {
                        custom[id] = sc.attribute("formatCode", in: tag) ?? ""
                    } else if sc.equals(tag.name, "cellXfs") {
                        inCellXfs = !tag.selfClosing
                    } else if inCellXfs && sc.equals(tag.name, "xf") {
                        let id = sc.attribute("numFmtId", in: tag).flatMap { Int($0) } ?? 0
                        stylePercents.append(NumberFormats.isPercent(id: id, code: custom[id]))
                        if let code = custom[id] {
                            styleDates.append(NumberFormats.customIsDate(code))
                        } else {
                            styleDates.append(NumberFormats.builtinIsDate(id))
                        }
                    }
                case .end(let name, let namespace):
                    if namespace.isSpreadsheet && sc.equals(name, "cellXfs") { inCellXfs = false }
                case .start, .text: break
                }
            }
        }
    }

    /// Decodes `_xHHHH_` escapes that OOXML uses for characters XML cannot carry (ECMA-376
    /// Part 1, 22.9.2.19); two that form a UTF-16 surrogate pair give one character, a lone
    /// surrogate stays as written.
    static func unescapeOOXML(_ s: String) -> String {
        // A byte scan, not Foundation's `contains`: this runs for every string in the file.
        var seen = false
        var previous: UInt8 = 0
        for byte in s.utf8 {
            if previous == UInt8(ascii: "_") && byte == UInt8(ascii: "x") { seen = true; break }
            previous = byte
        }
        guard seen else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "_x") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            if let v = escape(after) {
                if let u = Unicode.Scalar(v) {
                    out.unicodeScalars.append(u)
                    rest = after.dropFirst(5)
                    continue
                }
                let next = after.dropFirst(5)
                if (0xD800..<0xDC00).contains(v), next.hasPrefix("_x"), let low = escape(next.dropFirst(2)), (0xDC00..<0xE000).contains(low),
                   let u = Unicode.Scalar(0x10000 + (v - 0xD800) << 10 + (low - 0xDC00)) {
                    out.unicodeScalars.append(u)
                    rest = next.dropFirst(7)
                    continue
                }
            }
            out += "_x"
            rest = after
        }
        return out + rest
    }

    /// The code unit of `HHHH_` at the start of `s` (what follows an `_x`).
    private static func escape(_ s: Substring) -> UInt32? {
        let hex = s.prefix(5)
        guard hex.count == 5, hex.last == "_", hex.prefix(4).allSatisfy(\.isHexDigit) else { return nil }
        return UInt32(hex.prefix(4), radix: 16)
    }

    private func checkLength(_ s: String) throws {
        try ValueTable.checkLength(s, max: limits.maxStringLength)
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
        var percents: Set<CellAddress> = []
        out.mergedRanges = try scanSheet(sheet, percent: { percents.insert($0) }) { address, value in
            out.cells[address] = value
            if address.row > out.lastRow { out.lastRow = address.row }
        }
        out.percentFormatted = percents
        return out
    }

    /// The `t` attribute of a cell.
    enum CellType {
        case number, shared, inline, formulaString, boolean, error, isoDate

        /// From the attribute's decoded text; anything unknown is a number, as Excel's default.
        init(_ text: String) {
            switch text {
            case "s": self = .shared
            case "b": self = .boolean
            case "e": self = .error
            case "d": self = .isoDate
            case "str": self = .formulaString
            case "inlineStr": self = .inline
            default: self = .number
            }
        }
    }

    private enum Capture { case none, value, formula, inline }

    /// Streams one worksheet part, calling `visit` for each non-empty cell; returns its merged ranges.
    private func scanSheet(_ sheet: SheetInfo, percent: ((CellAddress) -> Void)? = nil,
                           _ visit: (CellAddress, CellValue) throws -> Void) throws -> [ClosedRange<CellAddress>] {
        guard let entry = try zip.open(sheet.part) else {
            throw XLSXError(.missingPart, "The sheet \"\(sheet.name)\" is listed but missing from the file. Save it again from Excel or LibreOffice.")
        }
        var stream = XMLStream(entry: entry, part: sheet.part, maxDepth: limits.maxDepth)
        var merged: [ClosedRange<CellAddress>] = []
        var row = -1
        var column = -1
        var address = CellAddress(row: 0, column: 0)
        var type = CellType.number
        var style = 0
        var inCell = false
        var hasValue = false
        var hasFormula = false
        var value: [UInt8] = []
        var formula: [UInt8] = []
        var capture = Capture.none
        var inPhonetic = 0
        value.reserveCapacity(64)
        // Locals, not properties: the loop then pays no dynamic exclusivity checks.
        let table = ValueTable(strings: sharedStrings, dates: styleDates, date1904: date1904, maxStringLength: limits.maxStringLength)
        let maxCells = limits.maxCells
        let percents = stylePercents
        var cells = cellsRead
        defer { cellsRead = cells }

        while let ev = try stream.next() {
            switch ev {
            case .start(let tag):
                // Elements of extensions (x14:…, mc:…) are skipped, whatever their local name.
                guard tag.namespace.isSpreadsheet else { continue }
                let n = tag.name
                if n.count == 1 && stream.scanner.byte(n) == UInt8(ascii: "c") {
                    column += 1
                    var explicit: CellAddress?
                    type = .number
                    style = 0
                    stream.scanner.forEachAttribute(in: tag) { name, v in
                        guard name.count == 1 else { return }
                        switch stream.scanner.byte(name) {
                        case UInt8(ascii: "r"): explicit = stream.scanner.cellAddressAttribute(v)
                        case UInt8(ascii: "s"): style = stream.scanner.integerAttribute(v) ?? 0
                        case UInt8(ascii: "t"):
                            switch (v.count, stream.scanner.byte(v)) {
                            case (1, UInt8(ascii: "s")): type = .shared
                            case (1, UInt8(ascii: "n")): type = .number
                            case (1, UInt8(ascii: "b")): type = .boolean
                            case (1, UInt8(ascii: "e")): type = .error
                            case (1, UInt8(ascii: "d")): type = .isoDate
                            case (3, UInt8(ascii: "s")): type = .formulaString
                            case (9, UInt8(ascii: "i")): type = .inline
                            default: type = stream.scanner.hasReference(v) ? CellType(stream.scanner.decodeAttribute(v)) : .number
                            }
                        default: break
                        }
                    }
                    if let a = explicit {
                        address = a
                        column = a.column
                        if row < 0 { row = a.row }
                    } else {
                        address = CellAddress(row: max(row, 0), column: column)
                    }
                    hasValue = false
                    hasFormula = false
                    // An inline-string cell takes its <is> text only, so a stray <v> is not its value.
                    if !tag.selfClosing, type != .inline, let r = stream.takeSimpleValue() {
                        // The common case, handled without further events: parse in place.
                        let bytes = stream.scanner.bytes(r)
                        let cell: CellValue?
                        if XMLScanner.needsDecoding(bytes, references: true) {
                            value.removeAll(keepingCapacity: true)
                            stream.scanner.appendText(r, raw: false, to: &value)
                            cell = try value.withUnsafeBufferPointer { try table.value(type: type, style: style, hasValue: true, value: $0, formula: nil) }
                        } else {
                            cell = try table.value(type: type, style: style, hasValue: true, value: bytes, formula: nil)
                        }
                        if let cell {
                            cells += 1
                            if cells > maxCells {
                                throw XLSXError(.limitExceeded, "The workbook has more than \(maxCells) filled cells; the file is refused.")
                            }
                            try visit(address, cell)
                            if let percent, case .number = cell, style < percents.count, percents[style] { percent(address) }
                        }
                        continue
                    }
                    value.removeAll(keepingCapacity: true)
                    inCell = !tag.selfClosing
                } else if inCell {
                    // `<x/>` is `<x></x>`: an empty value is still a value, an empty formula a formula.
                    if n.count == 1 && stream.scanner.byte(n) == UInt8(ascii: "v") {
                        if type != .inline { hasValue = true; if !tag.selfClosing { capture = .value } }
                    } else if n.count == 1 && stream.scanner.byte(n) == UInt8(ascii: "f") {
                        hasFormula = true
                        formula.removeAll(keepingCapacity: true)
                        if !tag.selfClosing { capture = .formula }
                    } else if n.count == 1 && stream.scanner.byte(n) == UInt8(ascii: "t") {
                        if type == .inline && inPhonetic == 0 { hasValue = true; if !tag.selfClosing { capture = .inline } }
                    } else if stream.scanner.equals(n, "rPh") && !tag.selfClosing {
                        inPhonetic += 1
                    }
                } else if stream.scanner.equals(n, "row") {
                    var explicit: Int?
                    stream.scanner.forEachAttribute(in: tag) { name, v in
                        if name.count == 1 && stream.scanner.byte(name) == UInt8(ascii: "r") { explicit = stream.scanner.integerAttribute(v) }
                    }
                    if let r = explicit, r > 0 { row = r - 1 } else { row += 1 }
                    column = -1
                } else if stream.scanner.equals(n, "mergeCell") {
                    if let ref = stream.scanner.attribute("ref", in: tag) {
                        let ends = ref.split(separator: ":")
                        if ends.count == 2, let a = CellAddress(a1: String(ends[0])), let b = CellAddress(a1: String(ends[1])), a <= b {
                            merged.append(a...b)
                        }
                    }
                }
            case .text(let r, let raw):
                switch capture {
                case .none: break
                case .value, .inline:
                    stream.scanner.appendText(r, raw: raw, to: &value)
                    if value.count > table.maxStringLength * 4 { try table.checkLength(String(decoding: value, as: UTF8.self)) }
                case .formula:
                    stream.scanner.appendText(r, raw: raw, to: &formula)
                }
            case .end(let n, let namespace):
                guard namespace.isSpreadsheet else { continue }
                if n.count == 1 && stream.scanner.byte(n) == UInt8(ascii: "c") {
                    inCell = false
                    capture = .none
                    if let cell = try value.withUnsafeBufferPointer({
                        try table.value(type: type, style: style, hasValue: hasValue, value: $0, formula: hasFormula ? formula : nil)
                    }) {
                        cells += 1
                        if cells > maxCells {
                            throw XLSXError(.limitExceeded, "The workbook has more than \(maxCells) filled cells; the file is refused.")
                        }
                        try visit(address, cell)
                        if let percent, case .number = cell, style < percents.count, percents[style] { percent(address) }
                    }
                } else if n.count == 1 && (stream.scanner.byte(n) == UInt8(ascii: "v") || stream.scanner.byte(n) == UInt8(ascii: "f") || stream.scanner.byte(n) == UInt8(ascii: "t")) {
                    capture = .none
                } else if stream.scanner.equals(n, "rPh") {
                    inPhonetic -= 1
                } else if stream.scanner.equals(n, "row") {
                    column = -1
                }
            }
        }
        return merged
    }

    /// Parses the ISO 8601 text of a `t="d"` cell: `YYYY-MM-DD`, optionally followed by
    /// `THH:MM[:SS[.fff]]`, or a time alone. A zone (`Z`, `+07:00`) is dropped: cells hold wall
    /// time. A time alone is that fraction of day 0, as Excel stores a typed time; seconds are
    /// rounded as Excel shows them, like serials.
    static func parseISODate(_ text: String, date1904: Bool) -> SpreadsheetDate? {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        func number(_ digits: Int) -> Int? {
            let part = s.prefix(digits)
            guard part.count == digits, part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            s = s.dropFirst(digits)
            return Int(part)
        }
        func take(_ c: Character) -> Bool {
            guard s.first == c else { return false }
            s = s.dropFirst()
            return true
        }
        var date: (Int, Int, Int)?
        if s.count >= 10, s.dropFirst(4).first == "-" {
            guard let y = number(4), take("-"), let m = number(2), take("-"), let d = number(2),
                  (1...12).contains(m), (1...31).contains(d), SpreadsheetDate.civil(fromDays: SpreadsheetDate.days(y, m, d)) == (y, m, d)
            else { return nil }
            date = (y, m, d)
            guard take("T") || take(" ") || s.isEmpty else { return nil }
        }
        var seconds: Double?
        if !s.isEmpty {
            guard let h = number(2), take(":"), let mi = number(2), h <= 24, mi <= 59 else { return nil }
            var sec = 0.0
            if take(":") {
                guard let whole = number(2), whole <= 60 else { return nil }
                sec = Double(whole)
                if take(".") || take(",") {
                    let fraction = s.prefix(while: { $0.isASCII && $0.isNumber })
                    guard !fraction.isEmpty, let f = Double("0." + fraction) else { return nil }
                    sec += f
                    s = s.dropFirst(fraction.count)
                }
            }
            seconds = Double(h * 3600 + mi * 60) + sec
            // A zone, if any, is all that may follow.
            if take("Z") {
            } else if take("+") || take("-") {
                guard number(2) != nil, (take(":") ? number(2) != nil : (s.isEmpty || number(2) != nil)) else { return nil }
            }
            guard s.isEmpty else { return nil }
        }
        guard let (y, m, d) = date else {
            return seconds.flatMap { SpreadsheetDate(serial: $0 / 86_400, date1904: date1904, hasTime: true) }
        }
        guard let seconds else { return SpreadsheetDate(year: y, month: m, day: d) }
        let rounded = Int(seconds.rounded())
        let (y2, m2, d2) = SpreadsheetDate.civil(fromDays: SpreadsheetDate.days(y, m, d) + rounded / 86_400)
        let r = rounded % 86_400
        return SpreadsheetDate(year: y2, month: m2, day: d2, hour: r / 3600, minute: r / 60 % 60, second: r % 60, hasTime: true)
    }
}

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
