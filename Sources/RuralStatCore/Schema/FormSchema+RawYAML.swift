// SPDX-License-Identifier: Apache-2.0
// The YAML shape of a schema file, decoded as written; `FormSchema+Loading` checks it and builds the schema.

struct RawField: Decodable {
    var id: String
    var cell: String
    var type: ValueType
    var required: Bool?
    var max_length: Int?
    var pattern: String?
    var min: Double?
    var max: Double?
    var codes: String?
    var role: FieldRole?
    var label: LocalizedText
}

struct RawColumn: Decodable {
    var id: String
    var type: ValueType
    var required: Bool?
    var max_length: Int?
    var pattern: String?
    var unique: Bool?
    var min: Double?
    var max: Double?
    var codes: String?
    var unit: LocalizedText?
    var width: Double?
    var aggregate: Aggregation?
    var accumulate: Accumulation?
    var header: LocalizedText
    var aliases: [String]?
}

struct RawRow: Decodable {
    var id: String
    var code: String
    var type: ValueType
    var required: Bool?
    var min: Double?
    var max: Double?
    var unit: LocalizedText?
    var aggregate: Aggregation?
    var accumulate: Accumulation?
    var label: LocalizedText
}

struct RawRule: Decodable {
    var id: String
    var severity: Severity?
    var when: String?
    var assert: String
    var cell: String?
    var message: LocalizedText
}

struct RawSheet: Decodable {
    var id: String
    var name: String
    var kind: SheetKind
    var title: LocalizedText
    var fields: [RawField]?
    var columns: [RawColumn]?
    var rows: [RawRow]?
    var header_row: Int?
    var first_data_row: Int?
    var code_column: String?
    var value_column: String?
    var rules: [RawRule]?
}

struct RawSchema: Decodable {
    var id: String
    var version: Int
    var title: LocalizedText
    var sheets: [RawSheet]
    var code_lists: [String: [CodeItem]]?
    var rules: [RawRule]?
    var outliers: RawOutliers?
}

/// The `outliers:` section as written.
struct RawOutliers: Decodable {
    struct Figure: Decodable { var figure: String; var rows: String?; var peers: Bool?; var severity: Severity?; var threshold: Double? }
    struct Ratio: Decodable {
        var id: String; var label: LocalizedText; var numerator: String; var denominator: String
        var rows: String?; var severity: Severity?; var threshold: Double?
    }
    var severity: Severity?
    var threshold: Double?
    var history_quarters: Int?
    var min_history: Int?
    var min_peers: Int?
    var history_floor: Double?
    var peer_floor: Double?
    var figures: [Figure]?
    var ratios: [Ratio]?
    /// Numbers of the form left out of the checks on purpose, each with why.
    struct Exempt: Decodable { var figure: String; var why: LocalizedText }
    var exempt: [Exempt]?
    /// By table, the columns that tell a row whose key was retyped.
    var same_row_when: [String: [String]]?
}
