// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import RuralStatCore

/// The outlier statistics and words, on the shipped schema's `outliers:` section.
@Suite("Outliers")
struct OutlierCheckTests {
    let schema = Fixtures.schema

    func data(_ unit: String, _ period: Period, production: [(String, Double)], labourers: Double = 400,
              establishments: Int64 = 120) -> SubmissionData {
        var facts: [Fact] = [Fact(sheet: "indicators", row: nil, field: "establishments", value: .integer(establishments))]
        for (i, (code, value)) in production.enumerated() {
            facts += [Fact(sheet: "villages", row: i, field: "code", value: .text(code)),
                      Fact(sheet: "villages", row: i, field: "labourers", value: .integer(Int64(labourers))),
                      Fact(sheet: "villages", row: i, field: "production_value", value: .money(dong: Int64(value * 1_000_000)))]
        }
        return SubmissionData(unitCode: unit, period: period, schemaID: schema.id, schemaVersion: schema.version, facts: facts)
    }

    @Test func aSteadyHistoryNamesEachPowerOfTenAndLetsOrdinaryChangePass() {
        let history = [44.6, 43.9, 45.2, 42.8, 41.5]
        for (value, n) in [(446.4, 1), (44_643.0, 3), (44_643_000.0, 6), (4.46, -1), (0.0446, -3)] {
            let j = OutlierStatistics.judge(value, references: history, minimum: 2, recent: 4, floor: 0.06, threshold: 3.5)
            #expect(j?.magnitude == n, "\(value): \(String(describing: j))")
        }
        // +20 % in a quarter, or a value five times the usual: not a power of ten, the first not an outlier at all.
        #expect(OutlierStatistics.judge(53.5, references: history, minimum: 2, recent: 4, floor: 0.06, threshold: 3.5) == nil)
        let five = OutlierStatistics.judge(223, references: history, minimum: 2, recent: 4, floor: 0.06, threshold: 3.5)
        #expect(five != nil && five?.magnitude == nil)
        // Too little to judge by, or nothing to judge.
        #expect(OutlierStatistics.judge(44_643, references: [44.6], minimum: 2, floor: 0.06, threshold: 3.5) == nil)
        #expect(OutlierStatistics.judge(0, references: history, minimum: 2, floor: 0.06, threshold: 3.5) == nil)
    }

    @Test func theMessageSaysWhatTheClerkMostLikelyMeant() throws {
        let p = Period(year: 2026, quarter: 2)!
        let spec = try #require(schema.outliers)
        let earlier = (1...4).map { i in [(data: data("10525", p, production: [("LN1", 44.6 + Double(i) / 10)]), share: 1.0)] }
        let hits = OutlierCheck(spec: spec, schema: schema).hits(data("10525", p, production: [("LN1", 44_643_000)]),
                                                                 evidence: OutlierEvidence(earlier: earlier))
        let hit = try #require(hits.first { $0.rowKey == "LN1" })
        #expect(hit.judgement.magnitude == 6 && hit.rowIndex == 0)
        let text = OutlierText.message(hit, schema: schema)
        #expect(text.vi.contains("= 44.643.000 triệu đồng, gấp khoảng 1.000.000 lần các quý trước của đơn vị"), "\(text.vi)")
        #expect(text.vi.hasSuffix("— có thể đã nhập theo đồng? Nếu vậy: 44,643 triệu đồng."), "\(text.vi)")
        #expect(text.en.hasSuffix("— entered in đồng? If so: 44.643 million VND."), "\(text.en)")
        #expect(OutlierText.rule(hit) == "outlier.magnitude")
        // The sum of the column is out only because of that row: one finding, on the row.
        #expect(hits.filter { $0.field == "production_value" }.count == 1)
    }

    @Test func aNewUnitIsComparedWithItsPeersAndAFirstFileWithNothingToCompareIsLeftAlone() throws {
        let p = Period(year: 2026, quarter: 2)!
        let spec = try #require(schema.outliers)
        let check = OutlierCheck(spec: spec, schema: schema)
        let mine = data("NEW", p, production: [("LN9", 20_000)], labourers: 500)
        // Nothing before, nobody beside: nothing to say.
        #expect(check.hits(mine, evidence: OutlierEvidence()).isEmpty)
        // Six peers producing 0.04–0.08 million đồng a quarter per labourer; the newcomer 40.
        let peers = (0..<6).map { i in data("P\(i)", p, production: [("V\(i)", 15 + Double(i) * 3)], labourers: 400) }
        let hits = check.hits(mine, evidence: OutlierEvidence(peers: peers))
        let hit = try #require(hits.first)
        #expect(hits.count == 1 && hit.ratio?.id == "production_per_labourer" && hit.rowKey == "LN9" && hit.judgement.magnitude == 3,
                "\(hits.map { ($0.field, $0.rowKey, $0.judgement.magnitude) })")
        #expect(OutlierText.message(hit, schema: schema).vi.contains("giá trị sản xuất trên một lao động"))
        // A value in line with the peers: nothing.
        #expect(check.hits(data("NEW", p, production: [("LN9", 20)], labourers: 500), evidence: OutlierEvidence(peers: peers)).isEmpty)
    }

    @Test func theSchemaRefusesAnOutlierSectionThatNamesNoNumber() throws {
        let yaml = try String(contentsOf: Fixtures.repoRoot.appendingPathComponent("templates/quarterly-v1.yaml"), encoding: .utf8)
        for (wrong, says) in [("{figure: villages.name}", "is not a number"), ("{figure: villages.nothing}", "has no field"),
                              ("{figure: villages.labourers, rows: nothing}", "must be a column of the table")] {
            let broken = yaml.replacingOccurrences(of: "{figure: indicators.establishments}", with: wrong)
            #expect(throws: DefinitionError.self) { try FormSchema.load(yaml: broken, file: "q.yaml") }
            do { _ = try FormSchema.load(yaml: broken, file: "q.yaml") } catch { #expect("\(error)".contains(says), "\(error)") }
        }
    }

    func projects(_ unit: String, _ period: Period, _ budgets: [(String, Double)]) -> SubmissionData {
        var facts: [Fact] = []
        for (i, (code, budget)) in budgets.enumerated() {
            facts += [Fact(sheet: "projects", row: i, field: "code", value: .text(code)),
                      Fact(sheet: "projects", row: i, field: "approved_budget", value: .money(dong: Int64(budget * 1_000_000)))]
        }
        return SubmissionData(unitCode: unit, period: period, schemaID: schema.id, schemaVersion: schema.version, facts: facts)
    }

    @Test func aTotalWhoseRowsChangedIsLeftToItsRowsAndANewRowMeetsTheOtherUnitsRows() throws {
        let p = Period(year: 2026, quarter: 2)!
        let check = OutlierCheck(spec: try #require(schema.outliers), schema: schema)
        // One project ended, another began with ten times its budget: the total jumps, and is right.
        let earlier = (0..<4).map { _ in [(data: projects("U", p, [("DA-1", 100)]), share: 1.0)] }
        #expect(check.hits(projects("U", p, [("DA-2", 1_000)]), evidence: OutlierEvidence(earlier: earlier)).isEmpty)
        // The same total over the same project: out, and a power of ten.
        let same = check.hits(projects("U", p, [("DA-1", 1_000)]), evidence: OutlierEvidence(earlier: earlier))
        #expect(same.count == 1 && same.first?.rowKey == "DA-1" && same.first?.judgement.magnitude == 1)
        // The new project typed in thousand đồng, among other units' projects of 80–300 million.
        let peers = (0..<8).map { i in projects("P\(i)", p, [("X\(i)", 80 + Double(i) * 30)]) }
        let hits = check.hits(projects("U", p, [("DA-2", 150_000)]), evidence: OutlierEvidence(earlier: earlier, peers: peers))
        let hit = try #require(hits.first)
        #expect(hits.count == 1 && hit.rowKey == "DA-2" && hit.byPeers && hit.ratio == nil && hit.judgement.magnitude == 3, "\(hits)")
        #expect(OutlierText.message(hit, schema: schema).vi.contains("mức của các đơn vị khác trong quý"))
        #expect(check.hits(projects("U", p, [("DA-2", 150)]), evidence: OutlierEvidence(earlier: earlier, peers: peers)).isEmpty)
    }

    @Test func whenARatioIsOutTheCellFurtherFromTheOtherUnitsIsNamed() throws {
        let p = Period(year: 2026, quarter: 2)!
        let check = OutlierCheck(spec: try #require(schema.outliers), schema: schema)
        func village(_ unit: String, _ code: String, households: Int64, trade: Int64) -> SubmissionData {
            SubmissionData(unitCode: unit, period: p, schemaID: schema.id, schemaVersion: schema.version, facts: [
                Fact(sheet: "villages", row: 0, field: "code", value: .text(code)),
                Fact(sheet: "villages", row: 0, field: "households", value: .integer(households)),
                Fact(sheet: "villages", row: 0, field: "trade_households", value: .integer(trade)),
            ])
        }
        let peers = (0..<8).map { i in village("P\(i)", "V\(i)", households: 280 + Int64(i) * 20, trade: 110 + Int64(i) * 8) }
        // A new village's households typed with a zero too many: the share of households in the
        // trade is a tenth of the others', and it is the households that stand out.
        let hits = check.hits(village("NEW", "LN1", households: 3_100, trade: 120), evidence: OutlierEvidence(peers: peers))
        let hit = try #require(hits.first)
        #expect(hits.count == 1 && hit.field == "households" && hit.blamesDenominator && hit.judgement.magnitude == 1, "\(hits)")
        let text = OutlierText.message(hit, schema: schema).vi
        #expect(text.contains("Tổng số hộ (Mã làng nghề LN1) = 3.100 hộ") && text.contains("chỉ bằng khoảng 1/10 mức của các đơn vị khác")
                && text.hasSuffix("có thể thừa 1 chữ số 0? Nếu vậy: 310 hộ."), "\(text)")
        // The households in the trade typed too small instead: the numerator is named.
        let other = check.hits(village("NEW", "LN1", households: 300, trade: 12), evidence: OutlierEvidence(peers: peers))
        #expect(other.count == 1 && other.first?.field == "trade_households" && other.first?.judgement.magnitude == -1, "\(other)")
    }
}

/// Every number of the form is checked or left out on purpose, with why: never by omission.
@Suite("Numbers left out of the outlier checks")
struct OutlierExemptTests {
    static let text = try! String(contentsOfFile: Fixtures.repoRoot.appendingPathComponent("templates/quarterly-v1.yaml").path, encoding: .utf8)

    @Test func theShippedFormChecksOrExemptsEveryNumber() throws {
        let outliers = try #require(Fixtures.schema.outliers)
        #expect(outliers.unchecked.isEmpty, "\(outliers.unchecked)")
        #expect(outliers.exempt["villages.year_recognised"]?.en.contains("a year") == true)
    }

    @Test func aNumberLeftOutWithoutAWordIsNamed() throws {
        let lines = Self.text.components(separatedBy: "\n").filter { !$0.contains("- {figure: indicators.fairs}") }
        let schema = try FormSchema.load(yaml: lines.joined(separator: "\n"), file: "quarterly-v1.yaml")
        #expect(schema.outliers?.unchecked == ["indicators.fairs"])
    }

    @Test(arguments: [
        ("    - {figure: villages.year_recognised, why:",
         "    - {figure: indicators.establishments, why: {vi: \"x\", en: \"x\"}}\n    - {figure: villages.year_recognised, why:", "both checked"),
        ("{figure: villages.year_recognised, why: {vi: \"năm công nhận", "{figure: villages.year_recognised, why: {vi: \" \", en: \" \"}, x: {vi: \"năm", "needs its reason"),
        ("{figure: villages.year_recognised, why:", "{figure: villages.name, why:", "is not a number"),
        ("    villages: [name, commune]", "    villages: [code, commune]", "other than the rows' key"),
        ("    villages: [name, commune]", "    villages: [name, town]", "must be a column"),
        ("    villages: [name, commune]", "    cover: [unit_name]", "is not a table"),
    ])
    func anExemptionThatCannotStandIsRefused(old: String, new: String, said: String) {
        #expect(Self.text.contains(old))
        #expect {
            try FormSchema.load(yaml: Self.text.replacingOccurrences(of: old, with: new), file: "quarterly-v1.yaml")
        } throws: { "\($0)".contains(said) }
    }
}
