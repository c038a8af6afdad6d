// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
public import RuralStatCore
public import RuralStatRender

/// The demo province: Hải Phòng city as it is since 1 July 2025 — 114 communes (xã, phường,
/// đặc khu), each in the area of the former district or town it was formed from — with the 27
/// district-level units of old Hải Phòng and old Hải Dương that reported until 2025-Q2, whose
/// history is their area's. Sample submissions are generated from seeds, so every run of the
/// demo shows the same figures.
public enum DemoProvince {
    /// The first quarter the communes report (the reform took effect on 1 July 2025).
    public static let reform = Period("2025-Q3")!

    public static let province = Province(
        name: "Thành phố Hải Phòng", parentBody: "UBND THÀNH PHỐ HẢI PHÒNG", issuingBody: "SỞ CÔNG THƯƠNG", place: "Hải Phòng",
        units: HaiPhong.communes.map { ReportingUnit(code: $0.code, name: $0.name, group: $0.area, from: reform) }
            + HaiPhong.districts.map { ReportingUnit(code: $0.code, name: $0.name, group: $0.area, until: reform.previous) },
        code: "31")

    /// Each old district's history is its area's: the boundary is the same, so the comparison is exact.
    public static let successions: [UnitSuccession] = HaiPhong.districts.map { .toArea(from: $0.code, $0.area) }

    private static let communesByCode = Dictionary(uniqueKeysWithValues: HaiPhong.communes.map { ($0.code, $0) })
    private static let districtsByCode = Dictionary(uniqueKeysWithValues: HaiPhong.districts.map { ($0.code, $0) })
    private static let oldProvinceOfArea = Dictionary(uniqueKeysWithValues: HaiPhong.districts.map { ($0.area, $0.oldProvince) })

    private static let trades: [(group: String, name: String)] = [
        ("4", "mộc"), ("2", "chạm khắc gỗ"), ("1", "bánh gai"), ("4", "gốm"), ("2", "thêu ren"),
        ("4", "cơ khí"), ("1", "chế biến nông sản"), ("2", "làm hương"), ("4", "mây tre đan"), ("5", "sinh vật cảnh"),
    ]
    private static let hamlets = ["Đông Giao", "Cậy", "Xuân Nẻo", "Tống Xá", "Hiệp Cát", "Lai Khê", "Phú Thái", "Chu Đậu",
                                  "Châu Khê", "Hội Yên", "Bảo Hà", "Mỹ Đồng", "Minh Khai", "Kim Lương", "An Lâm", "Tân Trường"]
    private static let beneficiaries = ["HTX Mộc Đông Giao", "Công ty TNHH Gốm Chu Đậu", "Cơ sở thêu Xuân Nẻo",
                                        "DN Cơ khí Phú Thái", "HTX Hương Tống Xá", "Cơ sở tạc tượng Bảo Hà", "HTX Đúc đồng Mỹ Đồng"]

    /// A village as it stands (what changes little between quarters), from the seed of its code.
    private struct VillageSeed {
        var code: String, name: String, commune: String, trade: String, recognised: Bool, traditional: Bool
        var yearRecognised: Int, households: Int, share: Int, labourers: Int, establishments: Int, cooperatives: Int, enterprises: Int
        /// Million đồng a labourer produces in a quarter, and thousand USD exported a quarter.
        var productivity: Double, exports: Double
    }

    /// A factor within ±`spread` of 1: how much a figure moves from one quarter to the next.
    static func wobble(_ rng: inout SplitMix, _ spread: Double) -> Double {
        1 + spread * (Double(rng.next(2_001)) / 1_000 - 1)
    }

    /// A commune's craft villages: old Hải Dương had 66 recognised, old Hải Phòng 19, so its
    /// communes have about one each and Hải Phòng's about one in three.
    private static func villages(of commune: HaiPhong.Commune) -> [VillageSeed] {
        var stable = SplitMix(seed: UInt64(abs(commune.code.hashValueStable)))
        let roll = stable.next(10)
        let count = oldProvinceOfArea[commune.area] == "Hải Dương" ? (roll < 3 ? 0 : roll < 8 ? 1 : 2) : (roll < 7 ? 0 : 1)
        return (0..<count).map { i in
            let trade = trades[stable.next(trades.count)]
            return VillageSeed(code: "\(commune.code)-LN\(i + 1)", name: "Làng nghề \(trade.name) \(hamlets[stable.next(hamlets.count)])",
                               commune: commune.name, trade: trade.group, recognised: stable.next(5) != 0, traditional: stable.next(2) == 0,
                               yearRecognised: 2005 + stable.next(18), households: 200 + stable.next(600), share: 30 + stable.next(60),
                               labourers: 150 + stable.next(1500), establishments: 5 + stable.next(60), cooperatives: stable.next(3),
                               enterprises: stable.next(8), productivity: Double(8 + stable.next(8)) / 10,
                               exports: stable.next(3) == 0 ? 0 : Double(stable.next(5_000)) / 10)
        }
    }

    /// Villages as rows of the form in `period`: labourers grow a little each year; what was
    /// produced and exported comes from the village's and the period's seed, so a village gives
    /// the same figures whether its old district or its new commune reports it.
    private static func rows(_ seeds: [VillageSeed], _ period: Period) -> [[String: CellValue]] {
        let growth = 1 + 0.04 * Double(period.year - 2024) + 0.01 * Double(period.quarter)
        return seeds.map { v in
            var rng = SplitMix(seed: UInt64(abs(v.code.hashValueStable &+ period.year &* 7 &+ period.quarter &* 131)))
            let labourers = Double(v.labourers) * growth
            var row: [String: CellValue] = [
                "code": .string(v.code), "name": .string(v.name), "commune": .string(v.commune),
                "trade_group": .string(v.trade), "recognition": .string(v.recognised ? "CN" : "CCN"),
                "traditional": .string(v.traditional ? "x" : ""), "households": .number(Double(v.households)),
                "trade_households": .number(Double(v.households * v.share / 100)), "establishments": .number(Double(v.establishments)),
                "cooperatives": .number(Double(v.cooperatives)), "enterprises": .number(Double(v.enterprises)),
                "labourers": .number(labourers.rounded()),
                // A village's output per labourer and its exports are its own; a quarter moves them a few per cent.
                "production_value": .number((labourers * v.productivity * Self.wobble(&rng, 0.04)).rounded()),
                "export_value": .number((v.exports * growth * Self.wobble(&rng, 0.05) * 10).rounded() / 10),
            ]
            if v.recognised { row["year_recognised"] = .number(Double(v.yearRecognised)) }
            return row
        }
    }

    /// The indicators of one commune in a period (an old district's are the sum of its communes').
    private static func indicators(_ commune: HaiPhong.Commune, _ period: Period) -> [String: Double] {
        var rng = SplitMix(seed: UInt64(abs(commune.code.hashValueStable &+ period.year &* 11 &+ period.quarter &* 137)))
        // The commune's size is its own; a quarter moves its establishments a few per cent.
        var stable = SplitMix(seed: UInt64(abs(commune.code.hashValueStable &* 31)))
        let growth = (1 + 0.03 * Double(period.year - 2024)) * wobble(&rng, 0.03)
        let establishments = Double(40 + stable.next(160)) * growth
        return [
            "establishments": establishments.rounded(), "establishment_labourers": (establishments * Double(50 + stable.next(40)) / 10).rounded(),
            "products_province": Double(rng.next(10) == 0 ? 1 : 0), "products_region": Double(rng.next(40) == 0 ? 1 : 0), "products_nation": 0,
            "artisans": Double(rng.next(12) == 0 ? 1 : 0), "fairs": Double(rng.next(6) == 0 ? 1 : 0), "booths": Double(rng.next(4)),
            "trainees": Double(rng.next(3) == 0 ? 10 + rng.next(40) : 0), "clusters": Double(rng.next(8) == 0 ? 1 : 0), "cluster_occupancy": Double(400 + rng.next(600)) / 10,
        ]
    }

    /// A filled form for `unit` in `period`; `variant` changes the figures (a resubmission).
    public static func content(unit: ReportingUnit, period: Period, variant: Int = 0) -> FormContent {
        var rng = SplitMix(seed: UInt64(abs(unit.code.hashValueStable &+ period.year &* 7 &+ period.quarter &* 131 &+ variant &* 7919)))
        var c = FormContent()
        c.fields["preparer"] = .string("Nguyễn Văn An")
        c.fields["phone"] = .string("0225 3852 \(100 + rng.next(899))")
        c.fields["date_prepared"] = .date(SpreadsheetDate(year: period.year + (period.quarter == 4 ? 1 : 0),
                                                          month: period.quarter == 4 ? 1 : period.quarter * 3 + 1, day: 10))
        let communes: [HaiPhong.Commune]
        if let commune = communesByCode[unit.code] {
            communes = [commune]
        } else if let district = districtsByCode[unit.code] {
            communes = HaiPhong.communes.filter { $0.area == district.area }
        } else {
            return generic(unit: unit, period: period, rng: &rng, base: c)
        }
        var villages = rows(communes.flatMap(villages(of:)), period)
        if variant != 0 {
            for i in villages.indices { if case .number(let v)? = villages[i]["production_value"] { villages[i]["production_value"] = .number(v + Double(10 * variant)) } }
        }
        c.tables["villages"] = villages
        c.tables["projects"] = projects(unit: unit, period: period, count: communes.count == 1 ? rng.next(3) : 1 + rng.next(4), rng: &rng)
        var sums: [String: Double] = [:]
        for commune in communes { for (k, v) in indicators(commune, period) { sums[k, default: 0] += v } }
        sums["cluster_occupancy"] = (sums["cluster_occupancy"]! / Double(communes.count) * 10).rounded() / 10
        var values = sums.mapValues { CellValue.number($0) }
        if sums["clusters"] == 0 { values["cluster_occupancy"] = nil }
        values["villages_total"] = .number(Double(villages.count))
        c.indicators["indicators"] = values
        return c
    }

    private static func projects(unit: ReportingUnit, period: Period, count: Int, rng: inout SplitMix) -> [[String: CellValue]] {
        (0..<count).map { i in
            let budget = Double(100 + rng.next(700))
            let status = ["PD", "TH", "NT"][rng.next(3)]
            var row: [String: CellValue] = [
                "code": .string("\(unit.code)-DA\(period.year % 100)\(period.quarter)\(String(format: "%02d", i + 1))"),
                "name": .string(["Hỗ trợ ứng dụng máy móc thiết bị tiên tiến", "Xây dựng mô hình trình diễn kỹ thuật",
                                 "Tham gia hội chợ triển lãm", "Đào tạo nghề thêu ren", "Hỗ trợ chuyển đổi số cho cơ sở CNNT"][rng.next(5)]),
                "beneficiary": .string(beneficiaries[rng.next(beneficiaries.count)]),
                "activity": .string(["3", "3", "4", "1", "2"][rng.next(5)]),
                "funding": .string(["KCQG", "KCDP", "KCDP", "KHAC"][rng.next(4)]),
                "approved_budget": .number(budget),
                "disbursed": .number((budget * Double(rng.next(100)) / 100).rounded()),
                "status": .string(status),
            ]
            if status == "NT" {
                row["accepted_on"] = .date(SpreadsheetDate(year: period.year, month: period.quarter * 3 - 1, day: 1 + rng.next(27)))
            }
            return row
        }
    }

    /// A unit of some other province (the benchmarks' generated ones): a few villages of its own.
    private static func generic(unit: ReportingUnit, period: Period, rng: inout SplitMix, base: FormContent) -> FormContent {
        var c = base
        var stable = SplitMix(seed: UInt64(abs(unit.code.hashValueStable)))
        let seeds = (0..<(3 + stable.next(5))).map { i -> VillageSeed in
            let trade = trades[stable.next(trades.count)]
            let hamlet = hamlets[stable.next(hamlets.count)]
            return VillageSeed(code: "\(unit.code)-LN\(String(format: "%02d", i + 1))", name: "Làng nghề \(trade.name) \(hamlet)",
                               commune: "Xã \(hamlet)", trade: trade.group, recognised: stable.next(4) != 0, traditional: stable.next(2) == 0,
                               yearRecognised: 2005 + stable.next(18), households: 200 + stable.next(600), share: 30 + stable.next(60),
                               labourers: 150 + stable.next(1500), establishments: 5 + stable.next(60), cooperatives: stable.next(3),
                               enterprises: stable.next(8), productivity: Double(8 + stable.next(8)) / 10,
                               exports: stable.next(3) == 0 ? 0 : Double(stable.next(5_000)) / 10)
        }
        let villages = rows(seeds, period)
        c.tables["villages"] = villages
        c.tables["projects"] = projects(unit: unit, period: period, count: 1 + rng.next(4), rng: &rng)
        let establishments = Double(300 + stable.next(900)) * wobble(&rng, 0.03)
        c.indicators["indicators"] = [
            "establishments": .number(establishments.rounded()),
            "establishment_labourers": .number((establishments * Double(50 + stable.next(40)) / 10).rounded()),
            "products_province": .number(Double(rng.next(4))), "products_region": .number(Double(rng.next(2))), "products_nation": .number(0),
            "artisans": .number(Double(rng.next(3))), "fairs": .number(Double(rng.next(3))), "booths": .number(Double(rng.next(10))),
            // A course in about a third of the quarters, as in the years before (a commune now is about
            // three of the old ones).
            "trainees": .number(Double(rng.next(3) == 0 ? 30 + rng.next(120) : 0)), "clusters": .number(Double(1 + rng.next(3))),
            "cluster_occupancy": .number(Double(400 + rng.next(600)) / 10), "villages_total": .number(Double(villages.count)),
        ]
        return c
    }

    /// The same form with its first village's production value typed in thousand đồng instead
    /// of million đồng: valid, accepted, and named by the outlier checks. Nil: no village.
    public static func outlierContent(unit: ReportingUnit, period: Period) -> FormContent? {
        var c = content(unit: unit, period: period)
        guard case .number(let v)? = c.tables["villages"]?.first?["production_value"] else { return nil }
        c.tables["villages"]![0]["production_value"] = .number(v * 1_000)
        return c
    }

    /// The same form with two mistakes a clerk makes: text typed in a number cell, and a
    /// recognised village without its year.
    public static func invalidContent(unit: ReportingUnit, period: Period) -> FormContent {
        var c = content(unit: unit, period: period)
        // A commune with fewer than two villages gets two of a unit of its own kind to get wrong.
        if c.tables["villages"]!.count < 2 {
            var rng = SplitMix(seed: 1)
            c.tables["villages"]! += generic(unit: ReportingUnit(code: unit.code, name: unit.name), period: period, rng: &rng, base: FormContent())
                .tables["villages"]!.prefix(2 - c.tables["villages"]!.count)
            c.indicators["indicators"]!["villages_total"] = .number(Double(c.tables["villages"]!.count))
        }
        c.tables["villages"]![0]["labourers"] = .string("khoảng 500 người")
        c.tables["villages"]![1]["recognition"] = .string("CN")
        c.tables["villages"]![1]["year_recognised"] = nil
        return c
    }
}

extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is randomly seeded).
    var hashValueStable: Int {
        Int(truncatingIfNeeded: utf8.reduce(UInt64(1_469_598_103_934_665_603)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 } >> 1)
    }
}
