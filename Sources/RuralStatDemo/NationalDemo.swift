// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
public import RuralStatRender
import CellModel

/// The ministry's demo: each province's approved quarter generated as the province's own
/// `period approve` would write it — a few communes' forms (the demo province's generator),
/// their villages and projects with the commune's code, the indicators as their totals, and the
/// provenance of each commune's file — for the 63 former provinces until 2025-Q2 and the 34
/// since. Small (six communes a province): the real ones have 100 to 170.
public enum NationalDemo {
    /// How many communes each demo province is made of.
    public static let communesPerProvince = 6

    /// The demo communes of province `code`.
    static func communes(of code: String, count: Int = communesPerProvince) -> [ReportingUnit] {
        (1...max(1, count)).map { ReportingUnit(code: "\(code)\(String(format: "%03d", $0))", name: "Xã Mẫu \($0) (\(code))") }
    }

    /// The province-level form's content for province `unit` in `period`, version `version`,
    /// made of `communes` communes' forms.
    public static func content(province unit: ReportingUnit, period: Period, version: Int = 1,
                               communes count: Int = communesPerProvince) -> FormContent {
        var out = FormContent()
        let approvedOn = VietnamTime.civil(VietnamTime.start(of: period.next.firstDay).addingTimeInterval(12 * 86_400))
        out.fields = ["version": .number(Double(version)), "approved_by": .string("Giám đốc Sở Công Thương"),
                      "approved_on": .date(approvedOn)]
        var indicators: [String: Double] = [:]
        var occupancy: [Double] = []
        var provenance: [[String: CellValue]] = []
        let received = ISO8601DateFormatter().string(from: VietnamTime.start(of: period.next.firstDay))
        for commune in communes(of: unit.code, count: count) {
            let form = DemoProvince.content(unit: commune, period: period, variant: version - 1)
            var counts: [String: Int] = [:]
            for table in ["villages", "projects"] {
                let rows = (form.tables[table] ?? []).map { row in row.merging(["commune_code": .string(commune.code)]) { a, _ in a } }
                out.tables[table, default: []] += rows.filter { !$0.isEmpty }
                counts[table] = rows.count
            }
            for (id, value) in form.indicators["indicators"] ?? [:] {
                guard case .number(let v) = value else { continue }
                if id == "cluster_occupancy" { occupancy.append(v) } else { indicators[id, default: 0] += v }
            }
            provenance.append(["unit_code": .string(commune.code), "unit_name": .string(commune.name), "state": .string("DH"),
                               "received_at": .string(received),
                               "sha256": .string(demoHash(commune.code, period, version)),
                               "villages": .number(Double(counts["villages"] ?? 0)), "projects": .number(Double(counts["projects"] ?? 0))])
        }
        indicators["villages_total"] = Double(out.tables["villages"]?.count ?? 0)
        var values = indicators.mapValues { CellValue.number($0) }
        if !occupancy.isEmpty {
            values["cluster_occupancy"] = .number((occupancy.reduce(0, +) / Double(occupancy.count) * 1_000_000).rounded() / 1_000_000)
        }
        out.indicators["indicators"] = values
        out.tables["provenance"] = provenance
        return out
    }

    /// A stand-in for a commune file's SHA-256: 64 hex digits, different for each file.
    static func demoHash(_ code: String, _ period: Period, _ version: Int) -> String {
        var rng = SplitMix(seed: UInt64(abs("\(code)/\(period)/\(version)".hashValueStable)))
        return (0..<64).map { _ in String(rng.next(16), radix: 16) }.joined()
    }

    /// Gives a new ministry site its past: every province's approved file for each quarter from
    /// 2024-Q1 up to `period` (excluded), the former provinces before the reform and the new ones
    /// since, each written into `work/` and handed to `take` with its name and when it arrived (a
    /// few days after the province's deadline). Returns how many were accepted.
    @discardableResult
    public static func seedHistory(before period: Period, province: Province, form: FormSchema,
                                   work: String, take: (_ path: String, _ name: String, _ arrival: Date) throws -> Bool) throws -> Int {
        let writer = FormWorkbook(schema: form)
        var stored = 0
        var p = Period("2024-Q1")!
        while p < period {
            let arrival = VietnamTime.start(of: p.next.firstDay).addingTimeInterval(20 * 86_400)
            for unit in province.asOf(p).units {
                let name = "\(unit.code)-\(p)-v1.xlsx"
                let path = work + "/" + name
                try writer.write(to: path, period: p, unit: unit, content: content(province: unit, period: p))
                if try take(path, name, arrival) { stored += 1 }
            }
            p = p.next
        }
        return stored
    }
}
