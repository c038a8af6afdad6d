// SPDX-License-Identifier: Apache-2.0
public import CellModel
import Foundation

/// Checks a workbook's cells against the schema and, when nothing is wrong, turns them into
/// typed facts. Pure: cells and the list of units in, a verdict out.
public struct SubmissionValidator: Sendable {
    public let schema: FormSchema
    public let province: Province

    public init(schema: FormSchema, province: Province) {
        self.schema = schema
        self.province = province
    }

    /// Validates the worksheets of one file. `expectedUnit` is the unit whose own inbox folder
    /// the file arrived in, if units have folders.
    /// `previous` gives the accepted submission of a unit for a period, for rules that compare
    /// with the previous quarter; by default there is none.
    /// `outliers` gives what the schema's outlier checks compare with (the unit's earlier
    /// quarters, its peers'); nil or a nil answer: no outlier check. They run once the file
    /// has no error, on the figures as read.
    public func validate(sheets: [SheetCells], expectedUnit: String? = nil,
                         previous: (String, Period) -> SubmissionData? = { _, _ in nil },
                         outliers: ((String, Period) -> OutlierEvidence?)? = nil) -> ValidationResult {
        var run = Run(schema: schema)
        for sheetSchema in schema.sheets {
            guard let cells = sheets.first(where: { TextMatching.same($0.name, sheetSchema.name) }) else {
                run.add(.error, "sheet.missing", sheet: sheetSchema.name, cell: nil, value: nil, LocalizedText(
                    vi: "Thiếu trang tính \"\(sheetSchema.name)\". Dùng đúng biểu mẫu mới nhất, không đổi tên hay xóa trang tính.",
                    en: "The sheet \"\(sheetSchema.name)\" is missing. Use the current form without renaming or deleting sheets."))
                continue
            }
            run.noteName(sheetSchema.id, cells.name)
            switch sheetSchema.kind {
            case .fields: run.checkFields(sheetSchema, cells)
            case .table: run.checkTable(sheetSchema, cells)
            case .indicators: run.checkIndicators(sheetSchema, cells)
            }
        }
        let identity = checkIdentity(&run, expectedUnit: expectedUnit)
        let earlier = identity.unit.flatMap { unit in identity.period.flatMap { previous(unit, $0.previous) } }
        run.checkRules(previous: earlier.map { SubmissionView(facts: $0.facts, schema: schema) })
        let data = identity.unit.flatMap { unit in identity.period.map { period in
            SubmissionData(unitCode: unit, period: period, schemaID: schema.id, schemaVersion: schema.version, facts: run.facts)
        } }
        if let spec = schema.outliers, let data, !run.findings.contains(where: { $0.severity == .error }),
           let evidence = outliers?(data.unitCode, data.period) {
            run.checkOutliers(spec, data, evidence)
        }
        var result = ValidationResult(findings: run.findings, submission: nil, unitCode: identity.unit, period: identity.period)
        if result.isValid { result.submission = data }
        return result
    }

    /// The cover's form tag, unit and period.
    private func checkIdentity(_ run: inout Run, expectedUnit: String?) -> (unit: String?, period: Period?) {
        if let (sheet, field) = schema.field(role: .form) {
            let found = run.value(sheet.id, field.spec.id).map(\.display) ?? ""
            if !TextMatching.same(found, schema.formTag) {
                let older = TextMatching.key(found).hasPrefix(TextMatching.key(schema.id))
                run.add(.error, older ? "form.version" : "form.unknown", sheet: sheet.name, cell: field.address, value: found, LocalizedText(
                    vi: "Tệp không được lập từ biểu mẫu hiện hành (\(schema.formTag)). Tải biểu mẫu \(schema.formTag) mới và nhập lại số liệu.",
                    en: "The file was not made from the current form (\(schema.formTag)). Download form \(schema.formTag) and enter the figures again.")
                    .prefixed(cell: field.address, label: field.label))
            }
        }
        var period: Period?
        if let (ys, y) = schema.field(role: .year), let (qs, q) = schema.field(role: .quarter),
           case .integer(let year)? = run.value(ys.id, y.spec.id),
           case .integer(let quarter)? = run.value(qs.id, q.spec.id) {
            period = Period(year: Int(year), quarter: Int(quarter))
        }
        var unitCode: String?
        if let (sheet, field) = schema.field(role: .unitCode), let typed = run.value(sheet.id, field.spec.id)?.display {
            if province.units.isEmpty {
                // No list of units (an offline check without a configuration): only the form is checked.
                unitCode = typed
            } else if let unit = province.unit(typed) {
                unitCode = unit.code
                if let expectedUnit, unit.code.uppercased() != expectedUnit.uppercased() {
                    run.add(.error, "cover.unit_mismatch", sheet: sheet.name, cell: field.address, value: typed, LocalizedText(
                        vi: "Mã đơn vị \"\(typed)\" không khớp với thư mục nộp của đơn vị \(expectedUnit). Mỗi đơn vị chỉ nộp báo cáo của chính mình.",
                        en: "The unit code \"\(typed)\" does not match the folder of unit \(expectedUnit). Each unit submits only its own report.")
                        .prefixed(cell: field.address, label: field.label))
                }
                if let period, !unit.reports(in: period) {
                    run.add(.error, "cover.unit_not_in_period", sheet: sheet.name, cell: field.address, value: typed,
                            Self.notInPeriod(unit, period).prefixed(cell: field.address, label: field.label))
                }
            } else {
                let known = province.units.map(\.code).joined(separator: ", ")
                run.add(.error, "cover.unit_unknown", sheet: sheet.name, cell: field.address, value: typed, LocalizedText(
                    vi: "Mã đơn vị \"\(typed)\" không có trong danh sách đơn vị báo cáo (\(known)).",
                    en: "The unit code \"\(typed)\" is not a known reporting unit (\(known)).")
                    .prefixed(cell: field.address, label: field.label))
            }
        }
        return (unitCode, period)
    }

    /// A unit's file for a quarter it does not report for: a district's before the reform sent
    /// for a quarter after it, a new commune's for a quarter before it existed. Its figures would
    /// count nowhere, so the file is refused with the quarters the unit reports for.
    static func notInPeriod(_ unit: ReportingUnit, _ period: Period) -> LocalizedText {
        let vi: String, en: String
        switch (unit.from, unit.until) {
        case let (from?, until?):
            vi = "từ \(from.inSentence) đến \(until.inSentence)"
            en = "from \(from) to \(until)"
        case let (from?, nil):
            vi = "từ \(from.inSentence)"
            en = "from \(from)"
        case let (nil, until?):
            vi = "đến hết \(until.inSentence)"
            en = "up to \(until)"
        case (nil, nil):
            vi = "mọi kỳ"
            en = "every period"
        }
        return LocalizedText(
            vi: "Đơn vị \(unit.code) (\(unit.name)) chỉ báo cáo \(vi); tệp ghi kỳ \(period.inSentence). Kiểm tra lại năm, quý trên trang bìa, hoặc mã đơn vị: từ khi sắp xếp đơn vị hành chính, báo cáo do đơn vị mới gửi.",
            en: "Unit \(unit.code) (\(unit.name)) reports only \(en); the file is for \(period). Check the year and quarter on the cover, or the unit code: since the reorganisation, the new unit reports.")
    }
}

extension FieldSchema {
    var address: String { CellAddress(row: row, column: column).a1 }
}

/// The state of one validation: findings so far and the facts read.
private struct Run {
    let schema: FormSchema
    var findings: [Finding] = []
    var facts: [Fact] = []
    private var singles: [String: FactValue] = [:]
    /// Data rows of table sheets, kept for the rules: schema, name in the file, row, values,
    /// and the sheet column of each field.
    private var tableRows: [(SheetSchema, String, Int, [String: FactValue], [String: Int])] = []
    /// The worksheet names as the file spells them, by sheet id.
    private var sheetNames: [String: String] = [:]

    init(schema: FormSchema) { self.schema = schema }

    mutating func add(_ severity: Severity, _ rule: String, sheet: String?, cell: String?, value: String?, number: FoundNumber? = nil,
                      _ message: LocalizedText) {
        findings.append(Finding(severity, rule: rule, sheet: sheet, cell: cell, value: value, number: number, message: message))
    }

    func value(_ sheet: String, _ field: String) -> FactValue? { singles[sheet + "." + field] }

    mutating func noteName(_ id: String, _ name: String) { sheetNames[id] = name }

    /// Reads one cell into a value, or records why it cannot be.
    mutating func read(_ cells: SheetCells, sheet: SheetSchema, row: Int, column: Int, spec: ValueSpec, label: LocalizedText) -> FactValue? {
        let address = CellAddress(row: row, column: column)
        var cell = cells.cells[address]
        // Text typed with a legacy font encoding is kept in Unicode, and the clerk is told.
        if case .string(let s)? = cell, let legacy = LegacyVietnamese.detect(s) {
            cell = .string(legacy.unicode)
            add(.warning, "text.legacy_encoding", sheet: cells.name, cell: address.a1, value: s, LocalizedText(
                vi: "Văn bản được gõ bằng bảng mã \(legacy.encoding.rawValue) cũ; đã đọc thành \"\(legacy.unicode)\". Lần sau hãy dùng bảng mã Unicode (trong Unikey) và phông Times New Roman.",
                en: "The text was typed in the old \(legacy.encoding.rawValue) encoding; it was read as \"\(legacy.unicode)\". Next time use Unicode in the keyboard tool and a Unicode font.")
                .prefixed(cell: address.a1, label: label))
        }
        // 73 % typed in a percent-formatted cell is stored as 0.73; the column counts in percent.
        if spec.type == .percent, case .number(let n)? = cell, cells.percentFormatted.contains(address) {
            cell = .number((n * 100 * 1e9).rounded() / 1e9)
        }
        switch ValueReader.read(cell, spec) {
        case .failure(let p):
            // A number that failed its type or range is quoted as typed.
            var typed: FoundNumber?
            if case .number(let n)? = cell { typed = FoundNumber(n, format: nil) }
            add(.error, p.rule, sheet: cells.name, cell: address.a1, value: cell?.description, number: typed,
                p.message.prefixed(cell: address.a1, label: label))
            return nil
        case .success(nil):
            if spec.required {
                add(.error, "required", sheet: cells.name, cell: address.a1, value: nil, LocalizedText(
                    vi: "Chưa nhập \"\(label.vi)\". Ô này bắt buộc.",
                    en: "\"\(label.en)\" is empty. This cell is required.").prefixed(cell: address.a1, label: nil))
            }
            return nil
        case .success(let v?):
            return v
        }
    }

    mutating func checkFields(_ sheet: SheetSchema, _ cells: SheetCells) {
        for field in sheet.fields {
            if let v = read(cells, sheet: sheet, row: field.row, column: field.column, spec: field.spec, label: field.label) {
                singles[sheet.id + "." + field.spec.id] = v
                facts.append(Fact(sheet: sheet.id, row: nil, field: field.spec.id, value: v))
            }
        }
    }

    mutating func checkTable(_ sheet: SheetSchema, _ cells: SheetCells) {
        let layout: TableLayout
        if let found = TableLayout.detect(sheet, cells) {
            layout = found
            let claimed = Set(found.columns.values)
            for column in found.missing {
                if !column.spec.required {
                    // An optional column left out of a remade form: its values count as empty.
                    add(.warning, "header.missing", sheet: cells.name, cell: nil, value: nil, LocalizedText(
                        vi: "Không có cột \"\(column.header.vi)\" (không bắt buộc); số liệu của cột này được coi là để trống.",
                        en: "There is no column \"\(column.header.en)\" (optional); its values are taken as empty."))
                    continue
                }
                // Point at the form's place for the column when nothing else took it.
                let place = CellAddress(row: found.headerRow, column: column.column)
                let cell = claimed.contains(column.column) ? nil : place.a1
                add(.error, "header.missing", sheet: cells.name, cell: cell,
                    value: cell == nil ? nil : cells.cells[place].map { ValueReader.textOf($0) }, LocalizedText(
                    vi: "Không tìm thấy cột bắt buộc \"\(column.header.vi)\" ở dòng tiêu đề (dòng \(found.headerRow + 1)). Thêm lại cột này như trong biểu mẫu.",
                    en: "The required column \"\(column.header.en)\" is missing from the header row (row \(found.headerRow + 1)). Add it back as on the form.")
                    .prefixed(ifAt: cell))
            }
        } else {
            // Nothing looks like the header: read the form's own positions and say which headers differ.
            for column in sheet.columns {
                let address = CellAddress(row: sheet.headerRow, column: column.column)
                let found = cells.cells[address].map { ValueReader.textOf($0) } ?? ""
                if !TextMatching.same(found, column.header.vi) && !TextMatching.same(found, column.header.en) {
                    add(.error, "header.mismatch", sheet: cells.name, cell: address.a1, value: found, LocalizedText(
                        vi: "Ô \(address.a1): cột này phải có tiêu đề \"\(column.header.vi)\" nhưng đang là \"\(found)\". Dùng đúng biểu mẫu, không xóa dòng tiêu đề.",
                        en: "Cell \(address.a1): this column must be headed \"\(column.header.en)\" but reads \"\(found)\". Use the form without deleting its header row."))
                }
            }
            layout = TableLayout(headerRow: sheet.headerRow, firstDataRow: sheet.firstDataRow,
                                 columns: Dictionary(uniqueKeysWithValues: sheet.columns.map { ($0.spec.id, $0.column) }), missing: [])
        }
        guard cells.lastRow >= layout.firstDataRow else { return }
        let present = sheet.columns.filter { layout.columns[$0.spec.id] != nil }
        let required = present.filter(\.spec.required)
        var seen: [String: [String: String]] = [:] // column id → key → first cell
        var index = 0
        var blankAfterData = false
        for row in layout.firstDataRow...cells.lastRow {
            let filled = present.filter { c in
                guard let v = cells[row, layout.columns[c.spec.id]!] else { return false }
                if case .string(let s) = v { return !s.trimmingCharacters(in: .whitespaces).isEmpty }
                return true
            }
            if filled.isEmpty {
                if index > 0 { blankAfterData = true }
                continue
            }
            // A note or signature block under the table: after a blank row, hardly any required cell.
            if blankAfterData && required.filter({ c in filled.contains { $0.spec.id == c.spec.id } }).count < 2 { break }
            var values: [String: FactValue] = [:]
            for column in present {
                let at = layout.columns[column.spec.id]!
                if let v = read(cells, sheet: sheet, row: row, column: at, spec: column.spec, label: column.header) {
                    values[column.spec.id] = v
                }
                if column.unique, let v = values[column.spec.id] {
                    let key = TextMatching.key(v.display)
                    let here = CellAddress(row: row, column: at).a1
                    if let first = seen[column.spec.id]?[key] {
                        add(.error, "unique", sheet: cells.name, cell: here, value: v.display, number: FoundNumber(v, spec: column.spec), LocalizedText(
                            vi: "Ô \(here): \"\(v.display)\" đã có ở ô \(first). Mỗi dòng phải có \(column.header.vi) riêng.",
                            en: "Cell \(here): \"\(v.display)\" already appears in \(first). Each row needs its own \(column.header.en)."))
                    } else {
                        seen[column.spec.id, default: [:]][key] = here
                    }
                }
            }
            tableRows.append((sheet, cells.name, row, values, layout.columns))
            for (field, v) in values {
                facts.append(Fact(sheet: sheet.id, row: index, field: field, value: v))
            }
            index += 1
        }
    }

    /// Evaluates the schema's rules once every sheet is read: row rules on each table row,
    /// workbook rules once. A rule fires only when its test is false; no value does not fire.
    mutating func checkRules(previous: SubmissionView?) {
        let view = SubmissionView(facts: facts, schema: schema)
        for (sheet, sheetName, row, values, columns) in tableRows {
            let scope = RuleScope(current: view, previous: previous, sheet: sheet.id, row: values)
            for rule in sheet.rules where rule.fires(in: scope) {
                let column = rule.cell.flatMap { sheet.column($0[0]) }
                let cell = rule.cell.flatMap { columns[$0[0]] }.map { CellAddress(row: row, column: $0).a1 }
                let message = scope.fill(rule.message)
                add(rule.severity, rule.id, sheet: sheetName, cell: cell,
                    value: rule.cell.flatMap { values[$0[0]]?.display }, number: column.flatMap { FoundNumber(values[$0.spec.id], spec: $0.spec) },
                    cell.map { message.prefixed(cell: $0, label: column?.header) } ?? message)
            }
        }
        let scope = RuleScope(current: view, previous: previous)
        for rule in schema.rules where rule.fires(in: scope) {
            var sheetName: String?
            var cell: String?
            var label: LocalizedText?
            var number: FoundNumber?
            if let path = rule.cell, path.count == 2, let sheet = schema.sheet(path[0]) {
                number = sheet.spec(path[1]).flatMap { FoundNumber(value(sheet.id, path[1]), spec: $0) }
                sheetName = sheetNames[sheet.id] ?? sheet.name
                if let f = sheet.fields.first(where: { $0.spec.id == path[1] }) {
                    cell = f.address
                    label = f.label
                } else if let r = sheet.rows.first(where: { $0.spec.id == path[1] }) {
                    cell = CellAddress(row: r.row, column: sheet.valueColumn).a1
                    label = r.label
                }
            }
            let message = scope.fill(rule.message)
            add(rule.severity, rule.id, sheet: sheetName, cell: cell,
                value: rule.cell.map { scope.evaluate(.reference($0)).description }, number: number,
                cell.map { message.prefixed(cell: $0, label: label) } ?? message)
        }
    }

    /// The outlier checks, each hit a finding on the clerk's cell: the row's cell for a row,
    /// the indicator's or field's cell, the sheet alone for a column's total.
    mutating func checkOutliers(_ spec: OutlierSpec, _ data: SubmissionData, _ evidence: OutlierEvidence) {
        var rowsOf: [String: [(row: Int, columns: [String: Int])]] = [:]
        for (sheet, _, row, _, columns) in tableRows { rowsOf[sheet.id, default: []].append((row, columns)) }
        for hit in OutlierCheck(spec: spec, schema: schema).hits(data, evidence: evidence) {
            guard let sheet = schema.sheet(hit.sheet) else { continue }
            var cell: String?
            if let index = hit.rowIndex, let at = rowsOf[sheet.id]?[index], let column = at.columns[hit.field] {
                cell = CellAddress(row: at.row, column: column).a1
            } else if let r = sheet.rows.first(where: { $0.spec.id == hit.field }) {
                cell = CellAddress(row: r.row, column: sheet.valueColumn).a1
            } else if let f = sheet.fields.first(where: { $0.spec.id == hit.field }) {
                cell = f.address
            }
            // The message names the figure itself: the cell goes in front, without a label.
            let message = OutlierText.message(hit, schema: schema)
            add(hit.severity, OutlierText.rule(hit), sheet: sheetNames[sheet.id] ?? sheet.name, cell: cell,
                value: OutlierText.vietnamese(hit.value, exact: true),
                number: FoundNumber(hit.value, format: sheet.spec(hit.field).flatMap { FigureFormat($0) }), message.prefixed(ifAt: cell))
        }
    }

    mutating func checkIndicators(_ sheet: SheetSchema, _ cells: SheetCells) {
        for indicator in sheet.rows {
            let codeCell = CellAddress(row: indicator.row, column: sheet.codeColumn)
            var found = cells.cells[codeCell].map { ValueReader.textOf($0) } ?? ""
            if case .number(let n)? = cells.cells[codeCell], n == n.rounded() {
                found = String(Int(n))
            }
            let matches = TextMatching.same(found, indicator.code) || Int(found).map { Int(indicator.code) == $0 } == true
            if !matches {
                add(.error, "indicators.row_code", sheet: cells.name, cell: codeCell.a1, value: found, LocalizedText(
                    vi: "Ô \(codeCell.a1): dòng \(indicator.row + 1) phải là chỉ tiêu mã \(indicator.code) (\(indicator.label.vi)) nhưng mã đang là \"\(found)\". Không chèn hay xóa dòng.",
                    en: "Cell \(codeCell.a1): row \(indicator.row + 1) must be indicator \(indicator.code) (\(indicator.label.en)) but its code reads \"\(found)\". Do not insert or delete rows."))
                continue
            }
            if let v = read(cells, sheet: sheet, row: indicator.row, column: sheet.valueColumn, spec: indicator.spec, label: indicator.label) {
                singles[sheet.id + "." + indicator.spec.id] = v
                facts.append(Fact(sheet: sheet.id, row: nil, field: indicator.spec.id, value: v))
            }
        }
    }
}

extension LocalizedText {
    /// Starts a message with its cell when there is one.
    func prefixed(ifAt cell: String?) -> LocalizedText {
        cell.map { prefixed(cell: $0, label: nil) } ?? self
    }

    /// Starts a message with the cell it is about and, when given, what the cell holds:
    /// "Ô M6 (Số lao động): …".
    func prefixed(cell: String, label: LocalizedText?) -> LocalizedText {
        LocalizedText(vi: "Ô \(cell)\(label.map { " (\($0.vi))" } ?? ""): \(vi)",
                      en: "Cell \(cell)\(label.map { " (\($0.en))" } ?? ""): \(en)")
    }
}

private extension Period {
    /// "quý III năm 2025", inside a sentence.
    var inSentence: String { "quý" + vietnameseTitle.dropFirst(3) }
}
