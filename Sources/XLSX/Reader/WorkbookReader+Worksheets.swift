// SPDX-License-Identifier: Apache-2.0
public import CellModel

extension WorkbookReader {
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

    /// Streams one worksheet part, calling `visit` for each non-empty cell; returns its merged ranges.
    private func scanSheet(_ sheet: SheetInfo, percent: ((CellAddress) -> Void)? = nil,
                           _ visit: (CellAddress, CellValue) throws -> Void) throws -> [ClosedRange<CellAddress>] {
        guard let entry = try zip.open(sheet.part) else {
            throw XLSXError(.missingPart, "The sheet \"\(sheet.name)\" is listed but missing from the file. Save it again from Excel or LibreOffice.")
        }
        var stream = XMLStream(entry: entry, part: sheet.part, maxDepth: limits.maxDepth)
        // Locals, not properties: the loop then pays no dynamic exclusivity checks.
        var scan = SheetScan(table: ValueTable(strings: sharedStrings, dates: styleDates, date1904: date1904, maxStringLength: limits.maxStringLength),
                             maxCells: limits.maxCells, percents: stylePercents, cells: cellsRead)
        defer { cellsRead = scan.cells }
        while let ev = try stream.next() {
            switch ev {
            case .start(let tag):
                // Elements of extensions (x14:…, mc:…) are skipped, whatever their local name.
                guard tag.namespace.isSpreadsheet else { continue }
                let n = tag.name
                // The attributes of <c> and <row> are read here, in the loop: a SheetScan step that
                // holds forEachAttribute's closure is not inlined, @inline(__always) or not, and the
                // reading benchmark then ran 2-3 % more instructions.
                if n.count == 1 && stream.scanner.byte(n) == UInt8(ascii: "c") {
                    var explicit: CellAddress?
                    scan.column += 1
                    scan.type = .number
                    scan.style = 0
                    stream.scanner.forEachAttribute(in: tag) { name, v in
                        guard name.count == 1 else { return }
                        switch stream.scanner.byte(name) {
                        case UInt8(ascii: "r"): explicit = stream.scanner.cellAddressAttribute(v)
                        case UInt8(ascii: "s"): scan.style = stream.scanner.integerAttribute(v) ?? 0
                        case UInt8(ascii: "t"): scan.type = SheetScan.cellType(v, stream.scanner)
                        default: break
                        }
                    }
                    try scan.startCell(tag, at: explicit, in: &stream, percent: percent, visit)
                } else if scan.inCell {
                    scan.startInCell(tag, stream.scanner)
                } else if stream.scanner.equals(n, "row") {
                    var explicit: Int?
                    stream.scanner.forEachAttribute(in: tag) { name, v in
                        if name.count == 1 && stream.scanner.byte(name) == UInt8(ascii: "r") { explicit = stream.scanner.integerAttribute(v) }
                    }
                    scan.startRow(explicit)
                } else if stream.scanner.equals(n, "mergeCell") {
                    scan.addMergedRange(tag, stream.scanner)
                }
            case .text(let r, let raw):
                try scan.text(r, raw: raw, stream.scanner)
            case .end(let n, let namespace):
                guard namespace.isSpreadsheet else { continue }
                try scan.end(n, stream.scanner, percent: percent, visit)
            }
        }
        return scan.merged
    }
}

/// Where the scan of one worksheet stands: the row and column, the cell in hand (its type,
/// style and text so far), the cells counted and the merged ranges met. A struct held in a
/// local variable, its steps inlined into the loop: the hot path pays no exclusivity checks
/// and allocates nothing but the two text buffers it reuses.
private struct SheetScan {
    /// Which text of the cell the character data being read belongs to.
    enum Capture { case none, value, formula, inline }

    let table: ValueTable
    let maxCells: Int
    /// Per cell style index: does it show a percentage.
    let percents: [Bool]
    /// Cells read in the workbook so far, this sheet's included.
    var cells: Int
    var merged: [ClosedRange<CellAddress>] = []
    var row = -1
    var column = -1
    var address = CellAddress(row: 0, column: 0)
    var type = WorkbookReader.CellType.number
    var style = 0
    var inCell = false
    var hasValue = false
    var hasFormula = false
    var value: [UInt8] = []
    var formula: [UInt8] = []
    var capture = Capture.none
    var inPhonetic = 0

    init(table: ValueTable, maxCells: Int, percents: [Bool], cells: Int) {
        self.table = table
        self.maxCells = maxCells
        self.percents = percents
        self.cells = cells
        value.reserveCapacity(64)
    }

    /// Character data: added to the cell's value, formula or inline text, when one is being read.
    @inline(__always)
    mutating func text(_ r: Range<Int>, raw: Bool, _ scanner: XMLScanner) throws {
        switch capture {
        case .none: break
        case .value, .inline:
            scanner.appendText(r, raw: raw, to: &value)
            if value.count > table.maxStringLength * 4 { try table.checkLength(String(decoding: value, as: UTF8.self)) }
        case .formula:
            scanner.appendText(r, raw: raw, to: &formula)
        }
    }

    /// A SpreadsheetML end tag: a cell ends and is handed over; its value, formula or text ends;
    /// a row ends.
    @inline(__always)
    mutating func end(_ n: Range<Int>, _ scanner: XMLScanner, percent: ((CellAddress) -> Void)?,
                      _ visit: (CellAddress, CellValue) throws -> Void) throws {
        if n.count == 1 && scanner.byte(n) == UInt8(ascii: "c") {
            inCell = false
            capture = .none
            if let cell = try value.withUnsafeBufferPointer({
                try table.value(type: type, style: style, hasValue: hasValue, value: $0, formula: hasFormula ? formula : nil)
            }) {
                try emit(cell, percent: percent, visit)
            }
        } else if n.count == 1 && (scanner.byte(n) == UInt8(ascii: "v") || scanner.byte(n) == UInt8(ascii: "f") || scanner.byte(n) == UInt8(ascii: "t")) {
            capture = .none
        } else if scanner.equals(n, "rPh") {
            inPhonetic -= 1
        } else if scanner.equals(n, "row") {
            column = -1
        }
    }

    /// A `<c>`, its attributes read (`explicit`: its `r`); a cell of the common shape
    /// `<c …><v>TEXT</v></c>` is read at once, without further events.
    @inline(__always)
    mutating func startCell(_ tag: XMLTag, at explicit: CellAddress?, in stream: inout XMLStream, percent: ((CellAddress) -> Void)?,
                            _ visit: (CellAddress, CellValue) throws -> Void) throws {
        // A cell without `r` follows the one before.
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
            try takeSimpleValue(r, stream.scanner, percent: percent, visit)
            return
        }
        value.removeAll(keepingCapacity: true)
        inCell = !tag.selfClosing
    }

    /// The `t` attribute's value, matched on its bytes; decoded only when that fails and it
    /// holds a reference.
    @inline(__always)
    static func cellType(_ v: Range<Int>, _ scanner: XMLScanner) -> WorkbookReader.CellType {
        switch (v.count, scanner.byte(v)) {
        case (1, UInt8(ascii: "s")): return .shared
        case (1, UInt8(ascii: "n")): return .number
        case (1, UInt8(ascii: "b")): return .boolean
        case (1, UInt8(ascii: "e")): return .error
        case (1, UInt8(ascii: "d")): return .isoDate
        case (3, UInt8(ascii: "s")): return .formulaString
        case (9, UInt8(ascii: "i")): return .inline
        default: return scanner.hasReference(v) ? WorkbookReader.CellType(scanner.decodeAttribute(v)) : .number
        }
    }

    /// The TEXT of a `<v>TEXT</v>` taken whole (`XMLScanner.takeSimpleValue`): parsed in place,
    /// or decoded first when it holds a reference or a CR.
    @inline(__always)
    private mutating func takeSimpleValue(_ r: Range<Int>, _ scanner: XMLScanner, percent: ((CellAddress) -> Void)?,
                                          _ visit: (CellAddress, CellValue) throws -> Void) throws {
        let bytes = scanner.bytes(r)
        let cell: CellValue?
        if XMLScanner.needsDecoding(bytes, references: true) {
            value.removeAll(keepingCapacity: true)
            scanner.appendText(r, raw: false, to: &value)
            cell = try value.withUnsafeBufferPointer { try table.value(type: type, style: style, hasValue: true, value: $0, formula: nil) }
        } else {
            cell = try table.value(type: type, style: style, hasValue: true, value: bytes, formula: nil)
        }
        if let cell { try emit(cell, percent: percent, visit) }
    }

    /// Counts a cell against the workbook's limit, hands it to `visit`, and tells `percent` when
    /// its style shows a percentage.
    @inline(__always)
    private mutating func emit(_ cell: CellValue, percent: ((CellAddress) -> Void)?,
                               _ visit: (CellAddress, CellValue) throws -> Void) throws {
        cells += 1
        if cells > maxCells {
            throw XLSXError(.limitExceeded, "The workbook has more than \(maxCells) filled cells; the file is refused.")
        }
        try visit(address, cell)
        if let percent, case .number = cell, style < percents.count, percents[style] { percent(address) }
    }

    /// A start tag inside a cell: its value, formula or inline text begins. `<x/>` is `<x></x>`:
    /// an empty value is still a value, an empty formula a formula.
    @inline(__always)
    mutating func startInCell(_ tag: XMLTag, _ scanner: XMLScanner) {
        let n = tag.name
        if n.count == 1 && scanner.byte(n) == UInt8(ascii: "v") {
            if type != .inline { hasValue = true; if !tag.selfClosing { capture = .value } }
        } else if n.count == 1 && scanner.byte(n) == UInt8(ascii: "f") {
            hasFormula = true
            formula.removeAll(keepingCapacity: true)
            if !tag.selfClosing { capture = .formula }
        } else if n.count == 1 && scanner.byte(n) == UInt8(ascii: "t") {
            if type == .inline && inPhonetic == 0 { hasValue = true; if !tag.selfClosing { capture = .inline } }
        } else if scanner.equals(n, "rPh") && !tag.selfClosing {
            inPhonetic += 1
        }
    }

    /// A `<row>`: its number when given (`explicit`, its `r`), else the one after the row before.
    @inline(__always)
    mutating func startRow(_ explicit: Int?) {
        if let r = explicit, r > 0 { row = r - 1 } else { row += 1 }
        column = -1
    }

    /// A `<mergeCell ref="A1:C2">`; a range that does not read as one is left out.
    mutating func addMergedRange(_ tag: XMLTag, _ scanner: XMLScanner) {
        if let ref = scanner.attribute("ref", in: tag) {
            let ends = ref.split(separator: ":")
            if ends.count == 2, let a = CellAddress(a1: String(ends[0])), let b = CellAddress(a1: String(ends[1])), a <= b {
                merged.append(a...b)
            }
        }
    }
}
