import ArgumentParser
import CellModel
import RuralStatCore
import RuralStatDaemon

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
    }

    static func document(_ schema: FormSchema) -> JSONValue {
        func codes(_ spec: ValueSpec) -> JSONValue {
            guard let list = spec.codes else { return .null }
            return .array(list.map { .object([("code", .string($0.code)), ("label", .string($0.vi))]) })
        }
        return .object([
            ("id", .string(schema.id)),
            ("version", .number(Double(schema.version))),
            ("sheets", .array(schema.sheets.map { sheet in
                var pairs: [(String, JSONValue)] = [("id", .string(sheet.id)), ("name", .string(sheet.name)), ("kind", .string(sheet.kind.rawValue))]
                switch sheet.kind {
                case .fields:
                    pairs.append(("fields", .array(sheet.fields.map {
                        .object([("id", .string($0.spec.id)), ("cell", .string(CellAddress(row: $0.row, column: $0.column).a1)),
                                 ("type", .string($0.spec.type.rawValue)), ("required", .bool($0.spec.required))])
                    })))
                case .table:
                    pairs.append(("headerRow", .number(Double(sheet.headerRow + 1))))
                    pairs.append(("firstDataRow", .number(Double(sheet.firstDataRow + 1))))
                    pairs.append(("columns", .array(sheet.columns.map { c in
                        .object([("id", .string(c.spec.id)), ("column", .string(CellAddress.columnLetters(c.column))),
                                 ("type", .string(c.spec.type.rawValue)), ("required", .bool(c.spec.required)),
                                 ("min", .optional(c.spec.min)), ("max", .optional(c.spec.max)), ("codes", codes(c.spec)),
                                 ("header", .object([("vi", .string(c.header.vi)), ("en", .string(c.header.en))]))])
                    })))
                case .indicators:
                    pairs.append(("valueColumn", .string(CellAddress.columnLetters(sheet.valueColumn))))
                    pairs.append(("codeColumn", .string(CellAddress.columnLetters(sheet.codeColumn))))
                    pairs.append(("rows", .array(sheet.rows.map {
                        .object([("id", .string($0.spec.id)), ("row", .number(Double($0.row + 1))), ("type", .string($0.spec.type.rawValue)),
                                 ("code", .string($0.code)), ("required", .bool($0.spec.required)),
                                 ("min", .optional($0.spec.min)), ("max", .optional($0.spec.max))])
                    })))
                }
                return .object(pairs)
            })),
        ])
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
