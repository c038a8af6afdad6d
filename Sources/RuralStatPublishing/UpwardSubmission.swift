// SPDX-License-Identifier: Apache-2.0
public import Foundation
import CellModel
public import RuralStatCore
public import RuralStatRender
import RuralStatStore

/// A province's quarter as it goes up to the ministry: a workbook of the province-level form
/// (`templates/province-v1.yaml`), filled from the store — every accepted craft village and
/// project of the province's units, one row each with the unit's code; the main indicators as
/// the province's totals, exactly as `export` gives them; and the provenance of each figure:
/// every unit's accepted file by its time and SHA-256, then the units with nothing accepted.
public struct UpwardSubmission: Sendable {
    /// The province as a unit of the level above (its official code and name).
    public var province: ReportingUnit
    public var period: Period
    /// The filled form, for `FormWorkbook` with the province-level schema.
    public var content: FormContent
    /// The units with nothing accepted for the period, listed on the provenance sheet.
    public var missing: [ReportingUnit]

    /// Who approved the quarter, when, and why (the cover's last lines).
    public struct Approval: Sendable {
        public var version: Int
        public var by: String
        public var at: Date
        public var note: String?

        public init(version: Int, by: String, at: Date, note: String?) {
            self.version = version
            self.by = by
            self.at = at
            self.note = note
        }
    }

    /// Builds the province's submission of `period` from what the store holds now, for the
    /// province-level `form` (its tables' columns decide which of the units' facts go up).
    public init(query: PeriodQuery, period: Period, province: ReportingUnit, approval: Approval, form: FormSchema) throws {
        self.province = province
        self.period = period
        let accepted = try query.store.acceptedData(period: period).sorted { $0.unitCode < $1.unitCode }
        var content = FormContent()
        content.fields = [
            "version": .number(Double(approval.version)), "approved_by": .string(approval.by),
            "approved_on": .date(VietnamTime.civil(approval.at)),
        ]
        if let note = approval.note, !note.isEmpty { content.fields["note"] = .string(note) }
        var counts: [String: [String: Int]] = [:]
        for table in form.sheets where table.kind == .table && table.id != Self.provenanceSheet {
            let columns = Set(table.columns.map(\.spec.id))
            var rows: [[String: CellValue]] = []
            for data in accepted {
                let unitRows = Self.rows(of: data, sheet: table.id, keeping: columns)
                counts[data.unitCode, default: [:]][table.id] = unitRows.count
                rows += unitRows
            }
            content.tables[table.id] = rows
        }
        let export = try ExportDocument(query: query, period: period)
        for sheet in form.sheets where sheet.kind == .indicators {
            var values: [String: CellValue] = [:]
            for row in sheet.rows {
                // To the millionth, as every figure is kept (a mean of the units' values can have more digits).
                if let v = export.province.figures["\(sheet.id).\(row.spec.id)"]?.quarter { values[row.spec.id] = .number((v * 1_000_000).rounded() / 1_000_000) }
            }
            content.indicators[sheet.id] = values
        }
        let (provenance, missing) = try Self.provenance(query: query, period: period, counts: counts)
        content.tables[Self.provenanceSheet] = provenance
        self.content = content
        self.missing = missing
    }

    /// The sheet that names each unit's file.
    public static let provenanceSheet = "provenance"

    /// The rows of `sheet` in a unit's accepted data, each with the unit's code, holding only
    /// the columns the province-level form has.
    static func rows(of data: SubmissionData, sheet: String, keeping columns: Set<String>) -> [[String: CellValue]] {
        var byRow: [Int: [String: CellValue]] = [:]
        for fact in data.facts where fact.sheet == sheet {
            guard let row = fact.row, columns.contains(fact.field), let value = cellValue(fact.value) else { continue }
            byRow[row, default: ["commune_code": .string(data.unitCode)]][fact.field] = value
        }
        return byRow.keys.sorted().map { byRow[$0]! }
    }

    /// A stored fact as the form writes it (money back in million VND, a yes as "x").
    static func cellValue(_ value: FactValue) -> CellValue? {
        switch value {
        case .integer(let v): return .number(Double(v))
        case .decimal(let v): return .number(v)
        case .money(let dong): return .number(Double(dong) / 1_000_000)
        case .text(let s), .code(let s): return .string(s)
        case .date(let d): return .date(d)
        case .bool(let b): return b ? .string("x") : nil
        }
    }

    /// One row per unit of the period: its accepted file (on time or late, when, its SHA-256,
    /// how many rows of each table it gave), then the units with nothing accepted.
    static func provenance(query: PeriodQuery, period: Period, counts: [String: [String: Int]]) throws
        -> (rows: [[String: CellValue]], missing: [ReportingUnit]) {
        let latest = Dictionary(try query.store.submissions(period: period).filter { $0.status == .accepted }
            .compactMap { s in s.unitCode.map { ($0.uppercased(), s) } }, uniquingKeysWith: { a, b in a.id > b.id ? a : b })
        let iso = ISO8601DateFormatter()
        var reported: [[String: CellValue]] = []
        var missing: [ReportingUnit] = []
        for status in try query.statuses(period) {
            guard let file = latest[status.unit.code.uppercased()], status.state == .accepted || status.state == .late else {
                missing.append(status.unit)
                continue
            }
            let mine = counts[file.unitCode ?? status.unit.code] ?? [:]
            reported.append([
                "unit_code": .string(status.unit.code), "unit_name": .string(status.unit.name),
                "state": .string(status.state == .late ? "MUON" : "DH"),
                "received_at": .string(iso.string(from: file.receivedAt)), "sha256": .string(file.sha256),
                "villages": .number(Double(mine["villages"] ?? 0)), "projects": .number(Double(mine["projects"] ?? 0)),
            ])
        }
        let absent = missing.map { unit -> [String: CellValue] in
            ["unit_code": .string(unit.code), "unit_name": .string(unit.name), "state": .string("CHUA"),
             "villages": .number(0), "projects": .number(0)]
        }
        return (reported + absent, missing)
    }
}
