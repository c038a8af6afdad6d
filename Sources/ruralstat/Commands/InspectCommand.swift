// SPDX-License-Identifier: Apache-2.0
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
        let out = BufferedOutput()
        do {
            let reader = try WorkbookReader(path: file)
            let dates = DateDisplay(date1904: reader.date1904)
            var infos = reader.sheets
            if let sheet {
                guard let one = reader.sheet(named: sheet) else {
                    throw CommandFailure.config("The workbook has no sheet named \"\(sheet)\" (it has: \(infos.map(\.name).joined(separator: ", "))).")
                }
                infos = [one]
            }
            if format == .json { out.write("{\"sheets\": [") }
            for (n, info) in infos.enumerated() {
                switch format {
                case .json:
                    out.write((n > 0 ? "," : "") + "\n  {\"name\": " + JSONValue.string(info.name).serialized(pretty: false) + ", \"rows\": [")
                    var first = true
                    try Self.rows(reader, info) { row in
                        out.write((first ? "\n    " : ",\n    ") + JSONValue.array(row.map { Self.json($0, dates) }).serialized(pretty: false))
                        first = false
                    }
                    out.write(first ? "]}" : "\n  ]}")
                case .csv:
                    out.write("# sheet: \(info.name)\r\n")
                    try Self.rows(reader, info) { row in
                        out.write(row.map { Self.csvField($0.map { Self.text($0, dates) } ?? "") }.joined(separator: ",") + "\r\n")
                    }
                }
            }
            if format == .json { out.write("\n]}\n") }
            out.flush()
        } catch let e as XLSXError {
            throw CommandFailure(code: 2, message: "\(file): \(e.message)")
        }
    }

    /// Calls `emit` for rows 1 to the last non-empty row, each from column A to its last
    /// non-empty cell. Rows are streamed as the file gives them; a sheet whose cells are not
    /// in row order is read again whole.
    static func rows(_ reader: WorkbookReader, _ info: SheetInfo, _ emit: ([CellValue?]) -> Void) throws {
        var current: [CellValue?] = []
        var currentRow = -1
        var emitted = 0
        var inOrder = true
        var lastAddress: CellAddress?
        func flush(upTo row: Int) {
            if currentRow >= 0 {
                while emitted < currentRow { emit([]); emitted += 1 }
                emit(current)
                emitted += 1
            }
            current.removeAll(keepingCapacity: true)
            currentRow = row
        }
        try reader.forEachCell(in: info) { address, value in
            guard inOrder else { return }
            if let last = lastAddress, address <= last { inOrder = false; return }
            lastAddress = address
            if address.row != currentRow { flush(upTo: address.row) }
            if current.count <= address.column {
                current += [CellValue?](repeating: nil, count: address.column + 1 - current.count)
            }
            current[address.column] = value
        }
        if inOrder {
            flush(upTo: -1)
            return
        }
        // Out of order (rare): collect, sort, and emit.
        let cells = try reader.cells(of: info)
        var byRow: [Int: [CellValue?]] = [:]
        for (address, value) in cells.cells {
            var row = byRow[address.row] ?? []
            if row.count <= address.column { row += [CellValue?](repeating: nil, count: address.column + 1 - row.count) }
            row[address.column] = value
            byRow[address.row] = row
        }
        guard cells.lastRow >= 0 else { return }
        for r in 0...cells.lastRow { emit(byRow[r] ?? []) }
    }

    static func json(_ cell: CellValue?, _ dates: DateDisplay) -> JSONValue {
        guard let cell else { return .null }
        switch cell {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .error(let e): return .object([("error", .string(e))])
        case .date(let d): return .object([(dates.kind(d).rawValue, .string(dates.text(d)))])
        case .formula(let f): return .object([("formula", .string(f))])
        }
    }

    /// A cell as CSV shows it: dates as `DateDisplay` writes them, the rest as `description`.
    static func text(_ cell: CellValue, _ dates: DateDisplay) -> String {
        if case .date(let d) = cell { return dates.text(d) }
        return cell.description
    }

    /// How `inspect` writes a date cell. It promises the cells as they are, so the time of a
    /// date-time serial shows even under a date-only format (the validator still takes only
    /// the date for a date column); a time alone, day 0 of the date system, shows as a time.
    struct DateDisplay {
        enum Kind: String { case date, datetime, time }
        /// Day 0 of the workbook's date system: 1900-01-00 (stored as 1899-12-31) or 1904-01-01.
        let dayZero: SpreadsheetDate

        init(date1904: Bool) {
            dayZero = SpreadsheetDate(serial: 0, date1904: date1904, hasTime: false) ?? SpreadsheetDate(year: 1899, month: 12, day: 31)
        }

        func kind(_ d: SpreadsheetDate) -> Kind {
            let timed = d.hasTime || d.hour != 0 || d.minute != 0 || d.second != 0
            guard timed else { return .date }
            return (d.year, d.month, d.day) == (dayZero.year, dayZero.month, dayZero.day) ? .time : .datetime
        }

        func text(_ d: SpreadsheetDate) -> String {
            var shown = d
            shown.hasTime = true
            switch kind(d) {
            case .date: return d.description
            case .datetime: return shown.description
            case .time: return String(shown.description.split(separator: "T").last ?? "")
            }
        }
    }

    static func csvField(_ s: String) -> String {
        // Scalars, not Characters: "\r\n" is a single Character and would slip past.
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Standard output through a 64 KB buffer: one write call per buffer, not per line.
final class BufferedOutput {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
