// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import CellModel
import RuralStatCore
import RuralStatConfig

/// `ruralstat schema [--json]`: the form as the blank template lays it out.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema", abstract: "Describe the reporting form.")

    @Flag(help: "Print the contract's JSON shape.")
    var json = false

    @OptionGroup var options: ConfigOption

    func run() throws {
        let schema = try loadDefinitions(try options.loadIfPresent()).schema
        if json {
            print(Self.document(schema).serialized())
            return
        }
        print("\(schema.title.vi) — \(schema.formTag)")
        for sheet in schema.sheets {
            print("\n[\(sheet.id)] \"\(sheet.name)\" (\(sheet.kind.rawValue))")
            for f in sheet.fields { print("  \(CellAddress(row: f.row, column: f.column).a1.padding(6))\(f.spec.id.padding(16))\(f.spec.type.rawValue.padding(9))\(f.label.vi)") }
            for c in sheet.columns {
                print("  \(CellAddress.columnLetters(c.column).padding(6))\(c.spec.id.padding(18))\(c.spec.type.rawValue.padding(9))\(c.spec.required ? "bắt buộc " : "         ")\(c.header.vi)")
            }
            for r in sheet.rows { print("  \(String(r.row + 1).padding(6))\(r.code.padding(4))\(r.spec.id.padding(24))\(r.label.vi)") }
        }
        if let outliers = schema.outliers {
            print("\nKiểm tra số bất thường / outlier checks: \(outliers.figures.map(\.name).joined(separator: ", "))")
            for (figure, why) in outliers.exempt.sorted(by: { $0.key < $1.key }) { print("  không xét / exempt \(figure): \(why.vi)") }
            if !outliers.unchecked.isEmpty {
                print("  CHƯA KHAI BÁO / neither checked nor exempt: \(outliers.unchecked.joined(separator: ", "))")
            }
        }
    }

    /// The contract other programs fill forms from: where every cell is and everything the
    /// validator checks it against, and the rules. Keys are added, never renamed.
    static func document(_ schema: FormSchema) -> JSONValue {
        func text(_ t: LocalizedText) -> JSONValue { .object([("vi", .string(t.vi)), ("en", .string(t.en))]) }
        func codes(_ spec: ValueSpec) -> JSONValue {
            guard let list = spec.codes else { return .null }
            return .array(list.map {
                .object([("code", .string($0.code)), ("label", .string($0.vi)), ("label_en", .string($0.en)),
                         ("aliases", .array(($0.aliases ?? []).map(JSONValue.string)))])
            })
        }
        /// What the validator checks a value against, shared by fields, columns and rows.
        func checks(_ spec: ValueSpec) -> [(String, JSONValue)] {
            [("type", .string(spec.type.rawValue)), ("required", .bool(spec.required)),
             ("min", .optional(spec.min)), ("max", .optional(spec.max)),
             ("max_length", .optional(spec.maxLength.map(Double.init))), ("pattern", .optional(spec.pattern)),
             ("unit", spec.unit.map(text) ?? .null), ("codes", codes(spec)), ("code_list", .optional(spec.codeListName)),
             ("accumulate", .string(spec.accumulate.rawValue)), ("aggregate", .string(spec.aggregate.rawValue))]
        }
        func rules(_ list: [ValidationRule], sheet: String?) -> JSONValue {
            .array(list.map { r in
                .object([("id", .string(r.id)), ("severity", .string(r.severity.rawValue)), ("sheet", .optional(sheet)),
                         ("when", .optional(r.whenText)), ("assert", .string(r.assertText)),
                         ("cell", .optional(r.cell?.joined(separator: "."))), ("message", text(r.message))])
            })
        }
        return .object([
            ("id", .string(schema.id)),
            ("version", .number(Double(schema.version))),
            ("form_tag", .string(schema.formTag)),
            ("title", text(schema.title)),
            ("sheets", .array(schema.sheets.map { sheet in
                var pairs: [(String, JSONValue)] = [("id", .string(sheet.id)), ("name", .string(sheet.name)), ("kind", .string(sheet.kind.rawValue)),
                                                    ("title", text(sheet.title))]
                switch sheet.kind {
                case .fields:
                    pairs.append(("fields", .array(sheet.fields.map {
                        .object([("id", .string($0.spec.id)), ("cell", .string(CellAddress(row: $0.row, column: $0.column).a1)),
                                 ("label", text($0.label)), ("role", .optional($0.role?.rawValue))] + checks($0.spec))
                    })))
                case .table:
                    pairs.append(("headerRow", .number(Double(sheet.headerRow + 1))))
                    pairs.append(("firstDataRow", .number(Double(sheet.firstDataRow + 1))))
                    pairs.append(("columns", .array(sheet.columns.map { c in
                        .object([("id", .string(c.spec.id)), ("column", .string(CellAddress.columnLetters(c.column))),
                                 ("header", text(c.header)), ("unique", .bool(c.unique))] + checks(c.spec))
                    })))
                    pairs.append(("rules", rules(sheet.rules, sheet: sheet.id)))
                case .indicators:
                    pairs.append(("valueColumn", .string(CellAddress.columnLetters(sheet.valueColumn))))
                    pairs.append(("codeColumn", .string(CellAddress.columnLetters(sheet.codeColumn))))
                    pairs.append(("rows", .array(sheet.rows.map {
                        .object([("id", .string($0.spec.id)), ("row", .number(Double($0.row + 1))), ("code", .string($0.code)),
                                 ("label", text($0.label))] + checks($0.spec))
                    })))
                }
                return .object(pairs)
            })),
            // Rules over the whole file (several sheets, or the unit's previous quarter: `prev.`).
            ("rules", rules(schema.rules, sheet: nil)),
            // The outlier checks: figures against the unit's history, ratios against its peers.
            ("outliers", schema.outliers.map { o in
                .object([
                    ("severity", .string(o.severity.rawValue)), ("threshold", .number(o.threshold)),
                    ("history_quarters", .number(Double(o.historyQuarters))), ("min_history", .number(Double(o.minHistory))),
                    ("min_peers", .number(Double(o.minPeers))), ("history_floor", .number(o.historyFloor)), ("peer_floor", .number(o.peerFloor)),
                    ("figures", .array(o.figures.map { f in
                        .object([("figure", .string(f.name)), ("rows", .optional(f.rowKey)), ("peers", .bool(f.peers)),
                                 ("severity", .string((f.severity ?? o.severity).rawValue)), ("threshold", .number(f.threshold ?? o.threshold))])
                    })),
                    ("ratios", .array(o.ratios.map { r in
                        .object([("id", .string(r.id)), ("label", text(r.label)),
                                 ("numerator", .string(r.numeratorName)),
                                 ("denominator", .string(r.denominatorName)), ("rows", .optional(r.rowKey)),
                                 ("severity", .string((r.severity ?? o.severity).rawValue)), ("threshold", .number(r.threshold ?? o.threshold))])
                    })),
                ])
            } ?? .null),
        ])
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
