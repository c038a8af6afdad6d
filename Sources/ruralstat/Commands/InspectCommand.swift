import ArgumentParser
import CellModel
import Foundation
import XLSX

/// `ruralstat inspect FILE [--sheet NAME] [--format csv|json]`: the cells as the reader sees them.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print every worksheet's cells exactly as ruralstat reads them.")

    enum Format: String, ExpressibleByArgument { case json, csv }

    @Argument(help: "The workbook.")
    var file: String

    @Option(help: "Only this worksheet.")
    var sheet: String?

    @Option(help: "json or csv.")
    var format: Format = .json

    func run() throws {
        let reader: WorkbookReader
        var sheets: [SheetCells] = []
        do {
            reader = try WorkbookReader(path: file)
            var infos = reader.sheets
            if let sheet {
                guard let one = reader.sheet(named: sheet) else {
                    throw CommandFailure.config("The workbook has no sheet named \"\(sheet)\" (it has: \(infos.map(\.name).joined(separator: ", "))).")
                }
                infos = [one]
            }
            for info in infos { sheets.append(try reader.cells(of: info)) }
        } catch let e as XLSXError {
            throw CommandFailure(code: 2, message: "\(file): \(e.message)")
        }
        switch format {
        case .json:
            let doc = JSONValue.object([("sheets", .array(sheets.map { s in
                .object([("name", .string(s.name)), ("rows", .array(Self.rows(s).map { .array($0.map(Self.json)) }))])
            }))])
            print(doc.serialized())
        case .csv:
            var out = ""
            for s in sheets {
                out += "# sheet: \(s.name)\r\n"
                for row in Self.rows(s) {
                    out += row.map { Self.csvField($0.map(Self.text) ?? "") }.joined(separator: ",") + "\r\n"
                }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }

    /// Rows 1 to the last non-empty row; each from column A to its last non-empty cell.
    static func rows(_ s: SheetCells) -> [[CellValue?]] {
        guard s.lastRow >= 0 else { return [] }
        var byRow = [[CellValue?]](repeating: [], count: s.lastRow + 1)
        for (address, value) in s.cells {
            if byRow[address.row].count <= address.column {
                byRow[address.row] += [CellValue?](repeating: nil, count: address.column + 1 - byRow[address.row].count)
            }
            byRow[address.row][address.column] = value
        }
        return byRow
    }

    static func json(_ cell: CellValue?) -> JSONValue {
        guard let cell else { return .null }
        switch cell {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .error(let e): return .object([("error", .string(e))])
        case .date(let d): return .object([(d.hasTime ? "datetime" : "date", .string(d.description))])
        case .formula(let f): return .object([("formula", .string(f))])
        }
    }

    static func text(_ cell: CellValue) -> String { cell.description }

    static func csvField(_ s: String) -> String {
        // Scalars, not Characters: "\r\n" is a single Character and would slip past.
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
