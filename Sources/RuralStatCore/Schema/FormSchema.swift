// SPDX-License-Identifier: Apache-2.0
/// The type of a value in a submission cell.
public enum ValueType: String, Codable, Sendable, CaseIterable {
    case text, integer, decimal, money, percent, date, code, boolean

    /// Types whose column can be summed.
    public var isNumeric: Bool { [.integer, .decimal, .money, .percent].contains(self) }
}

/// One entry of a code list: the code clerks write, what it means, and other spellings
/// that are accepted for it.
public struct CodeItem: Codable, Sendable, Hashable {
    public var code: String
    public var vi: String
    public var en: String
    public var aliases: [String]?
}

/// How a numeric figure combines across units: added up, or averaged (rates such as occupancy).
public enum Aggregation: String, Codable, Sendable {
    case sum, mean
}

/// How a figure builds up over the quarters of a year: a flow (production in the quarter)
/// adds up; a stock (villages, labourers) is what the latest quarter says.
public enum Accumulation: String, Codable, Sendable {
    case sum, last
}

/// The role a cover field plays in identifying a submission.
public enum FieldRole: String, Codable, Sendable {
    case form, unitCode = "unit_code", year, quarter
    /// The version of a file made by a level below (a province's approved quarter): an older
    /// version arriving after a newer one is refused.
    case version
}

/// Everything a cell definition shares, whether it is a cover field, a table column or an
/// indicator row.
public struct ValueSpec: Sendable, Hashable {
    public var id: String
    public var type: ValueType
    public var required: Bool
    public var min: Double?
    public var max: Double?
    /// The code list for `.code` values, resolved at load time.
    public var codes: [CodeItem]?
    public var codeListName: String?
    public var unit: LocalizedText?
    public var aggregate: Aggregation
    /// How the value adds up over the quarters of a year.
    public var accumulate: Accumulation = .last
    /// Text only: the most characters, and a regular expression the whole text must match.
    public var maxLength: Int? = nil
    public var pattern: String? = nil
    /// Codes only: every accepted spelling (code, labels, aliases), as matched, to its code.
    /// Built once when the schema loads, so reading a cell is one lookup.
    public var codeIndex: [String: String] = [:]

    /// The index of `codes`; a code wins over another entry's label that reads the same.
    public static func codeIndex(_ codes: [CodeItem]) -> [String: String] {
        var index: [String: String] = [:]
        for item in codes { index[TextMatching.key(item.code)] = item.code }
        for item in codes {
            for spelling in [item.vi, item.en] + (item.aliases ?? []) where index[TextMatching.key(spelling)] == nil {
                index[TextMatching.key(spelling)] = item.code
            }
        }
        return index
    }
}

/// A label/value field at a fixed cell (the cover sheet).
public struct FieldSchema: Sendable, Hashable {
    public var spec: ValueSpec
    public var label: LocalizedText
    /// Zero-based cell of the value.
    public var row: Int
    public var column: Int
    public var role: FieldRole?
}

/// A column of a table sheet.
public struct ColumnSchema: Sendable, Hashable {
    public var spec: ValueSpec
    public var header: LocalizedText
    /// Zero-based column index.
    public var column: Int
    public var unique: Bool
    public var width: Double
    /// Other headers the column is recognised by in a submitted file.
    public var aliases: [String] = []
}

/// A fixed row of an indicators sheet, found by its row code.
public struct IndicatorRow: Sendable, Hashable {
    public var spec: ValueSpec
    public var code: String
    public var label: LocalizedText
    /// Zero-based row index in the blank form.
    public var row: Int
}

/// A rule from the schema: an assertion that must hold, optionally only `when` a condition
/// holds, with the cell a finding points at and a message in both languages whose `{…}`
/// placeholders are expressions filled in with the values found.
public struct ValidationRule: Sendable, Hashable {
    public var id: String
    public var severity: Severity
    public var when: RuleExpression?
    public var assertion: RuleExpression
    /// Row rules: the column id pointed at. Workbook rules: `sheet.field` of a cover field or
    /// an indicator. Nil points at no particular cell.
    public var cell: [String]?
    public var message: LocalizedText
    /// The expressions as the schema writes them (`schema --json` gives them to other programs).
    public var assertText: String = ""
    public var whenText: String? = nil
}
/// What a sheet looks like; a schema has one per worksheet of the form.
public enum SheetKind: String, Codable, Sendable {
    case fields, table, indicators
}

/// One worksheet of the form.
public struct SheetSchema: Sendable, Hashable {
    public var id: String
    /// The worksheet's name in the workbook.
    public var name: String
    public var kind: SheetKind
    public var title: LocalizedText
    public var fields: [FieldSchema] = []
    public var columns: [ColumnSchema] = []
    public var rows: [IndicatorRow] = []
    /// Zero-based header row (tables and indicators).
    public var headerRow: Int = 0
    /// Zero-based first data row.
    public var firstDataRow: Int = 0
    /// Zero-based column holding row codes, and the one holding values (indicators).
    public var codeColumn: Int = 0
    public var valueColumn: Int = 0
    /// Rules checked on every data row of a table sheet.
    public var rules: [ValidationRule] = []

    public func column(_ id: String) -> ColumnSchema? { columns.first { $0.spec.id == id } }

    /// The definition of the sheet's column, indicator row or field `id`.
    public func spec(_ id: String) -> ValueSpec? {
        column(id)?.spec ?? rows.first { $0.spec.id == id }?.spec ?? fields.first { $0.spec.id == id }?.spec
    }
}

/// A versioned reporting form: its sheets, their cells, types and rules.
public struct FormSchema: Sendable, Hashable {
    public var id: String
    public var version: Int
    public var title: LocalizedText
    public var sheets: [SheetSchema]
    public var codeLists: [String: [CodeItem]]
    /// Rules checked once per workbook, across sheets and against the previous quarter.
    public var rules: [ValidationRule] = []
    /// The outlier checks (`outliers:`); nil: none.
    public var outliers: OutlierSpec?

    /// The text written into the form's cover so a filled form tells which schema made it.
    public var formTag: String { "\(id) v\(version)" }

    public func sheet(_ id: String) -> SheetSchema? { sheets.first { $0.id == id } }

    /// The cover field playing `role`, with its sheet.
    public func field(role: FieldRole) -> (SheetSchema, FieldSchema)? {
        for sheet in sheets {
            if let f = sheet.fields.first(where: { $0.role == role }) { return (sheet, f) }
        }
        return nil
    }
}
