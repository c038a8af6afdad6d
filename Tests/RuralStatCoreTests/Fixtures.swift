// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import RuralStatTesting
@testable import RuralStatCore

/// The shipped schema and cells laid out the way the form lays them out, built in code.
enum Fixtures {
    static let repoRoot = URL(fileURLWithPath: Repository.root)

    static let schema: FormSchema = {
        let path = repoRoot.appendingPathComponent("templates/quarterly-v1.yaml").path
        return try! FormSchema.load(yaml: String(contentsOfFile: path, encoding: .utf8), file: path)
    }()

    static let province = Province(name: "Tỉnh Thử", parentBody: "UBND TỈNH THỬ", issuingBody: "SỞ CÔNG THƯƠNG", place: "Thử",
                                   units: [ReportingUnit(code: "U01", name: "Huyện Một"), ReportingUnit(code: "U02", name: "Huyện Hai")])

    static func village(_ code: String, recognition: String = "CN", year: Double? = 2010, households: Double = 300,
                        tradeHouseholds: Double = 120, labourers: Double = 400, production: Double = 1_250.5) -> [String: CellValue] {
        var row: [String: CellValue] = [
            "code": .string(code), "name": .string("Làng nghề \(code)"), "commune": .string("Xã Một"),
            "trade_group": .string("4"), "recognition": .string(recognition), "households": .number(households),
            "trade_households": .number(tradeHouseholds), "labourers": .number(labourers), "production_value": .number(production),
        ]
        if let year { row["year_recognised"] = .number(year) }
        return row
    }

    static func project(_ code: String, activity: String = "3", funding: String = "KCDP", budget: Double = 500,
                        disbursed: Double? = 100, status: String = "TH") -> [String: CellValue] {
        var row: [String: CellValue] = [
            "code": .string(code), "name": .string("Đề án \(code)"), "beneficiary": .string("HTX Một"),
            "activity": .string(activity), "funding": .string(funding), "approved_budget": .number(budget), "status": .string(status),
        ]
        if let disbursed { row["disbursed"] = .number(disbursed) }
        if status == "NT" { row["accepted_on"] = .date(SpreadsheetDate(year: 2025, month: 8, day: 20)) }
        return row
    }

    static let indicators: [String: CellValue] = [
        "establishments": .number(850), "establishment_labourers": .number(6_200), "clusters": .number(2),
        "cluster_occupancy": .number(72.5),
    ]

    /// The worksheets of a filled form, exactly where the schema reads them.
    static func sheets(unit: String = "U01", year: Double = 2025, quarter: Double = 3,
                       villages: [[String: CellValue]] = [village("V1"), village("V2", recognition: "CCN", year: nil)],
                       projects: [[String: CellValue]] = [project("P1"), project("P2", funding: "KCQG", budget: 750.25)],
                       indicators: [String: CellValue] = Fixtures.indicators,
                       edit: (inout [String: SheetCells]) -> Void = { _ in }) -> [SheetCells] {
        var out: [String: SheetCells] = [:]
        for sheet in schema.sheets {
            var cells = SheetCells(name: sheet.name)
            func put(_ row: Int, _ column: Int, _ value: CellValue) {
                cells.cells[CellAddress(row: row, column: column)] = value
                cells.lastRow = max(cells.lastRow, row)
            }
            switch sheet.kind {
            case .fields:
                let values: [String: CellValue] = [
                    "form": .string(schema.formTag), "unit_code": .string(unit), "unit_name": .string("Huyện Một"),
                    "year": .number(year), "quarter": .number(quarter), "preparer": .string("Trần Thị Bình"),
                    "date_prepared": .date(SpreadsheetDate(year: 2025, month: 10, day: 5)),
                ]
                for f in sheet.fields { if let v = values[f.spec.id] { put(f.row, f.column, v) } }
            case .table:
                for c in sheet.columns { put(sheet.headerRow, c.column, .string(c.header.vi)) }
                let rows = sheet.id == "villages" ? villages : projects
                for (i, row) in rows.enumerated() {
                    for c in sheet.columns { if let v = row[c.spec.id] { put(sheet.firstDataRow + i, c.column, v) } }
                }
            case .indicators:
                // The village count must match the village rows, unless a test sets it.
                var values = indicators
                if values["villages_total"] == nil { values["villages_total"] = .number(Double(villages.filter { !$0.isEmpty }.count)) }
                for r in sheet.rows {
                    put(r.row, sheet.codeColumn, .string(r.code))
                    if let v = values[r.spec.id] { put(r.row, sheet.valueColumn, v) }
                }
            }
            out[sheet.id] = cells
        }
        edit(&out)
        return schema.sheets.compactMap { out[$0.id] }
    }

    static func validate(_ sheets: [SheetCells], expectedUnit: String? = nil) -> ValidationResult {
        SubmissionValidator(schema: schema, province: province).validate(sheets: sheets, expectedUnit: expectedUnit)
    }
}

extension Dictionary where Key == String, Value == SheetCells {
    /// Sets a cell of the sheet with id `sheet` by its A1 reference.
    mutating func set(_ sheet: String, _ a1: String, _ value: CellValue?) {
        let address = CellAddress(a1: a1)!
        self[sheet]!.cells[address] = value
        self[sheet]!.lastRow = Swift.max(self[sheet]!.lastRow, address.row)
    }
}
