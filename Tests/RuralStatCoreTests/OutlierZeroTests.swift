// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import RuralStatCore

/// The history rule with zeros, small counts, a history a slip would poison, and rows whose key
/// was retyped (issue 25).
@Suite("Outliers: zeros, small counts, a clean history")
struct OutlierZeroTests {
    let schema = Fixtures.schema
    let p = Period(year: 2026, quarter: 2)!
    var spec: OutlierSpec { schema.outliers! }

    func rule(count: Bool) -> OutlierHistory { OutlierHistory(minimum: 2, floor: 0.06, lumpyFloor: 0.15, threshold: 3.5, count: count) }

    @Test func aCountFallenToZeroFromFarIsNamedAndASmallCountsZeroIsNot() throws {
        let zero = try #require(rule(count: true).judge(0, history: [350, 342, 338, 330]))
        #expect(zero.fellToZeroFrom == 350 && zero.magnitude == nil)
        // Two cooperatives becoming none, or five establishments: a count's own change.
        #expect(rule(count: true).judge(0, history: [2, 2, 3, 2]) == nil)
        #expect(rule(count: true).judge(0, history: [5, 5, 4]) == nil)
        // A history that held a zero already: zeros are this figure's way.
        #expect(rule(count: true).judge(0, history: [350, 0, 340, 330]) == nil)
        // Money fallen to 0 from steady quarters is named, count or not.
        #expect(rule(count: false).judge(0, history: [44.6, 43.9, 45.2])?.fellToZeroFrom == 44.6)
    }

    @Test func aSmallCountIsJudgedWithItsNoise() {
        let r = rule(count: true)
        // 2 → 5 is two and a half times the usual, and within a count's noise; 2 → 20 is not.
        #expect(r.judge(5, history: [2, 2, 3, 2]) == nil)
        #expect(r.judge(20, history: [2, 2, 3, 2])?.magnitude == 1)
        #expect(r.judge(10, history: [1, 1, 1, 1]) != nil)
        // The same steps on money are out: no count's noise there.
        #expect(rule(count: false).judge(5, history: [2, 2, 2.1, 2]) != nil)
    }

    @Test func aLumpyFigureIsJudgedOnItsLumps() {
        let r = rule(count: true)
        // A course of 60 trainees, none, one of 45: a course of 50 is usual, of 500 is not.
        #expect(r.judge(50, history: [0, 60, 0, 0, 45, 0]) == nil)
        #expect(r.judge(500, history: [0, 60, 0, 0, 45, 0])?.magnitude == 1)
        #expect(r.judge(20, history: [0, 60, 0, 0, 45, 0]) == nil)
    }

    @Test func aSlipWarnedAndAcceptedDoesNotWidenTheNextQuartersReference() throws {
        let r = rule(count: false)
        let steady = [44.6, 43.9, 45.2, 42.8, 41.5]
        // The same ×1000 a second quarter running: warned again.
        #expect(r.cleaned([44_600] + steady) == steady)
        #expect(r.judge(44_650, history: [44_600] + steady)?.magnitude == 3)
        // And a third time; a fourth quarter at that level is a new level, no longer warned.
        #expect(r.judge(44_700, history: [44_650, 44_600] + steady)?.magnitude == 3)
        #expect(r.judge(44_750, history: [44_700, 44_650, 44_600] + steady) == nil)
        // A short history: the slip's quarter alone is no reference to judge by, and not a reason to pass.
        #expect(r.judge(44_650, history: [44_600, 44.5, 44.1]) != nil)
    }

    func facts(_ unit: String, villages: [(code: String, name: String, enterprises: Int64, production: Double)],
               indicators: [String: Int64] = [:]) -> SubmissionData {
        var facts: [Fact] = indicators.map { Fact(sheet: "indicators", row: nil, field: $0.key, value: .integer($0.value)) }
        for (i, v) in villages.enumerated() {
            facts += [Fact(sheet: "villages", row: i, field: "code", value: .text(v.code)),
                      Fact(sheet: "villages", row: i, field: "name", value: .text(v.name)),
                      Fact(sheet: "villages", row: i, field: "commune", value: .text("Xã An Lão")),
                      Fact(sheet: "villages", row: i, field: "enterprises", value: .integer(v.enterprises)),
                      Fact(sheet: "villages", row: i, field: "labourers", value: .integer(400)),
                      Fact(sheet: "villages", row: i, field: "production_value", value: .money(dong: Int64(v.production * 1_000_000)))]
        }
        return SubmissionData(unitCode: unit, period: p, schemaID: schema.id, schemaVersion: schema.version, facts: facts)
    }

    @Test func aVillageWhoseCodeWasRetypedIsJudgedAgainstItsHistoryAndTheChangeNoted() throws {
        let check = OutlierCheck(spec: spec, schema: schema)
        let earlier = (1...4).map { i in
            [(data: facts("X", villages: [("LN01", "Làng gốm Bát Tràng", 12, 9_000 + Double(i) * 50), ("LN02", "Làng mây tre", 3, 2_000)]), share: 1.0)]
        }
        let now = facts("X", villages: [("LN-01", "Làng gốm  Bát Tràng", 12, 9_100_000), ("LN02", "Làng mây tre", 3, 2_000)])
        let hit = try #require(check.hits(now, evidence: OutlierEvidence(earlier: earlier)).first { $0.field == "production_value" && $0.rowKey != nil })
        #expect(hit.rowKey == "LN-01" && hit.formerKey == "LN01" && hit.judgement.magnitude == 3)
        let text = OutlierText.message(hit, schema: schema)
        #expect(text.vi.contains("LN-01, các quý trước ghi mã LN01") && text.en.contains("LN01 in earlier quarters"), "\(text.vi)")
        // Two new rows both named like the one gone: neither is taken for it.
        let twice = facts("X", villages: [("LN-01", "Làng gốm Bát Tràng", 12, 9_100_000), ("LN-1", "Làng gốm Bát Tràng", 12, 9_100), ("LN02", "Làng mây tre", 3, 2_000)])
        #expect(check.hits(twice, evidence: OutlierEvidence(earlier: earlier)).allSatisfy { $0.formerKey == nil })
    }

    @Test func aVillagesEnterprisesAndAnIndicatorFallenToZeroAreNamedInBothLanguages() throws {
        let check = OutlierCheck(spec: spec, schema: schema)
        let earlier = (1...4).map { i in
            [(data: facts("X", villages: [("LN01", "Làng gốm", 40 + Int64(i), 9_000)], indicators: ["establishments": 120, "booths": 30]), share: 1.0)]
        }
        let now = facts("X", villages: [("LN01", "Làng gốm", 0, 9_000)], indicators: ["establishments": 120, "booths": 300])
        let hits = check.hits(now, evidence: OutlierEvidence(earlier: earlier))
        let zero = try #require(hits.first { $0.field == "enterprises" && $0.rowKey == "LN01" }, "\(hits.map(\.field))")
        #expect(OutlierText.rule(zero) == "outlier.zero")
        let text = OutlierText.message(zero, schema: schema)
        #expect(text.vi.contains("= 0, giảm về 0 từ 41 DN ở quý trước") && text.vi.contains("khoảng 41 DN;"), "\(text.vi)")
        #expect(text.en.contains("fallen to 0 from 41 enterprises last quarter"), "\(text.en)")
        let booths = try #require(hits.first { $0.field == "booths" })
        #expect(booths.judgement.magnitude == 1 && OutlierText.message(booths, schema: schema).vi.contains("Nếu vậy: 30 gian hàng."))
    }

    @Test func aValueAfterARunOfZerosMeetsTheOtherUnits() throws {
        let check = OutlierCheck(spec: spec, schema: schema)
        let earlier = (1...4).map { _ in [(data: facts("X", villages: [], indicators: ["trainees": 0]), share: 1.0)] }
        let peers = (1...8).map { i in facts("P\(i)", villages: [], indicators: ["trainees": 40 + Int64(i) * 5]) }
        let usual = check.hits(facts("X", villages: [], indicators: ["trainees": 55]), evidence: OutlierEvidence(earlier: earlier, peers: peers))
        #expect(usual.isEmpty, "\(usual)")
        let slip = check.hits(facts("X", villages: [], indicators: ["trainees": 5_500]), evidence: OutlierEvidence(earlier: earlier, peers: peers))
        let hit = try #require(slip.first { $0.field == "trainees" })
        #expect(hit.byPeers && hit.judgement.afterZeros && hit.judgement.magnitude == 2)
        #expect(OutlierText.message(hit, schema: schema).en.contains("after quarters of 0"))
    }

    @Test func aMergedCommunesAverageIsItsPredecessorsAverageNotTheirSum() throws {
        let check = OutlierCheck(spec: spec, schema: schema)
        func occupancy(_ unit: String, _ v: Double) -> SubmissionData {
            SubmissionData(unitCode: unit, period: p, schemaID: schema.id, schemaVersion: schema.version,
                           facts: [Fact(sheet: "indicators", row: nil, field: "cluster_occupancy", value: .decimal(v))])
        }
        let merged = check.merge([(occupancy("A", 60), 1), (occupancy("B", 80), 0.5)])
        #expect(abs((merged[OutlierCheck.Key(name: "indicators.cluster_occupancy")] ?? 0) - (60 + 40) / 1.5) < 1e-9)
        let earlier = (1...4).map { _ in [(data: occupancy("A", 60), share: 1.0), (data: occupancy("B", 80), share: 0.5)] }
        #expect(check.hits(occupancy("N", 67), evidence: OutlierEvidence(earlier: earlier)).isEmpty)
    }
}

@Suite("Outliers: a ratio's denominator of 0")
struct OutlierZeroDenominatorTests {
    @Test func aNewVillagesLabourersOfZeroBesideItsProductionAreNamed() throws {
        let schema = Fixtures.schema
        let p = Period(year: 2026, quarter: 2)!
        let facts: [Fact] = [Fact(sheet: "villages", row: 0, field: "code", value: .text("LN9")),
                             Fact(sheet: "villages", row: 0, field: "labourers", value: .integer(0)),
                             Fact(sheet: "villages", row: 0, field: "establishments", value: .integer(12)),
                             Fact(sheet: "villages", row: 0, field: "production_value", value: .money(dong: 9_000_000_000))]
        let data = SubmissionData(unitCode: "X", period: p, schemaID: schema.id, schemaVersion: schema.version, facts: facts)
        let hits = OutlierCheck(spec: schema.outliers!, schema: schema).hits(data, evidence: OutlierEvidence())
        let hit = try #require(hits.first { $0.field == "labourers" && $0.rowKey == "LN9" }, "\(hits.map(\.field))")
        #expect(hits.filter { $0.field == "labourers" }.count == 1 && OutlierText.rule(hit) == "outlier.zero")
        let text = OutlierText.message(hit, schema: schema)
        #expect(text.vi.contains("Số lao động (Mã làng nghề LN9) = 0 trong khi Giá trị sản xuất trong quý = 9.000 triệu đồng"), "\(text.vi)")
        #expect(text.en.contains("there can be no production value per labourer"), "\(text.en)")
    }
}
