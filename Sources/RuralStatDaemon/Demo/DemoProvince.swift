import CellModel
import Foundation
public import RuralStatCore
public import RuralStatRender

/// The demo province (modelled on Hải Dương's twelve district-level units) and sample
/// submissions for it, generated from a seed so every run of the demo shows the same figures.
public enum DemoProvince {
    public static let province = Province(
        name: "Tỉnh Hải Dương", parentBody: "UBND TỈNH HẢI DƯƠNG", issuingBody: "SỞ CÔNG THƯƠNG", place: "Hải Dương",
        units: [
            ReportingUnit(code: "HDG", name: "Thành phố Hải Dương"),
            ReportingUnit(code: "CLI", name: "Thành phố Chí Linh"),
            ReportingUnit(code: "KMO", name: "Thị xã Kinh Môn"),
            ReportingUnit(code: "BGI", name: "Huyện Bình Giang"),
            ReportingUnit(code: "CGI", name: "Huyện Cẩm Giàng"),
            ReportingUnit(code: "GLO", name: "Huyện Gia Lộc"),
            ReportingUnit(code: "KTH", name: "Huyện Kim Thành"),
            ReportingUnit(code: "NSA", name: "Huyện Nam Sách"),
            ReportingUnit(code: "NGI", name: "Huyện Ninh Giang"),
            ReportingUnit(code: "THA", name: "Huyện Thanh Hà"),
            ReportingUnit(code: "TMI", name: "Huyện Thanh Miện"),
            ReportingUnit(code: "TKY", name: "Huyện Tứ Kỳ"),
        ])

    private static let trades: [(group: String, name: String)] = [
        ("4", "mộc"), ("2", "chạm khắc gỗ"), ("1", "bánh gai"), ("4", "gốm"), ("2", "thêu ren"),
        ("4", "cơ khí"), ("1", "chế biến nông sản"), ("2", "làm hương"), ("4", "mây tre đan"), ("5", "sinh vật cảnh"),
    ]
    private static let communes = ["Đông Giao", "Cậy", "Xuân Nẻo", "Tống Xá", "Hiệp Cát", "Lai Khê", "Phú Thái",
                                   "Thanh Hải", "Kim Lương", "An Lâm", "Nam Hưng", "Tân Trường"]
    private static let beneficiaries = ["HTX Mộc Đông Giao", "Công ty TNHH Gốm Cậy", "Cơ sở thêu Xuân Nẻo",
                                        "DN Cơ khí Phú Thái", "HTX Hương Tống Xá", "Cơ sở bánh gai Ninh Giang"]

    /// A filled form for `unit` in `period`; `variant` changes the figures (a resubmission).
    public static func content(unit: ReportingUnit, period: Period, variant: Int = 0) -> FormContent {
        var rng = SplitMix(seed: UInt64(abs(unit.code.hashValueStable &+ period.year &* 7 &+ period.quarter &* 131 &+ variant &* 7919)))
        var c = FormContent()
        c.fields["preparer"] = .string("Nguyễn Văn An")
        c.fields["phone"] = .string("0220 3852 \(100 + rng.next(899))")
        c.fields["date_prepared"] = .date(SpreadsheetDate(year: period.year + (period.quarter == 4 ? 1 : 0),
                                                          month: period.quarter == 4 ? 1 : period.quarter * 3 + 1, day: 10))
        // The villages themselves change little from quarter to quarter: they come from a seed
        // of the unit alone; what happened in the quarter comes from the period's seed.
        var stable = SplitMix(seed: UInt64(abs(unit.code.hashValueStable)))
        let growth = 1 + 0.04 * Double(period.year - 2024) + 0.01 * Double(period.quarter)
        var villages: [[String: CellValue]] = []
        for i in 0..<(3 + stable.next(5)) {
            let trade = trades[stable.next(trades.count)]
            let commune = communes[stable.next(communes.count)]
            let households = 200 + stable.next(600)
            let recognised = stable.next(4) != 0
            let traditional = stable.next(2) == 0
            let yearRecognised = 2005 + stable.next(18)
            let share = 30 + stable.next(60)
            let labourers = Double(150 + stable.next(1500)) * growth
            var row: [String: CellValue] = [
                "code": .string("\(unit.code)-LN\(String(format: "%02d", i + 1))"),
                "name": .string("Làng nghề \(trade.name) \(commune)"),
                "commune": .string("Xã \(commune)"),
                "trade_group": .string(trade.group),
                "recognition": .string(recognised ? "CN" : "CCN"),
                "traditional": .string(traditional ? "x" : ""),
                "households": .number(Double(households)),
                "trade_households": .number(Double(households * share / 100)),
                "establishments": .number(Double(5 + stable.next(60))),
                "cooperatives": .number(Double(stable.next(3))),
                "enterprises": .number(Double(stable.next(8))),
                "labourers": .number(labourers.rounded()),
                "production_value": .number((labourers * Double(8 + rng.next(8)) / 10).rounded() / 10 * 10),
                "export_value": .number(Double(rng.next(5_000)) / 10),
            ]
            if recognised { row["year_recognised"] = .number(Double(yearRecognised)) }
            villages.append(row)
        }
        c.tables["villages"] = villages
        var projects: [[String: CellValue]] = []
        for i in 0..<(1 + rng.next(4)) {
            let budget = Double(100 + rng.next(700))
            let status = ["PD", "TH", "NT"][rng.next(3)]
            var row: [String: CellValue] = [
                "code": .string("\(unit.code)-DA\(period.year % 100)\(String(format: "%02d", i + 1))"),
                "name": .string(["Hỗ trợ ứng dụng máy móc thiết bị tiên tiến", "Xây dựng mô hình trình diễn kỹ thuật",
                                 "Tham gia hội chợ triển lãm", "Đào tạo nghề thêu ren"][rng.next(4)]),
                "beneficiary": .string(beneficiaries[rng.next(beneficiaries.count)]),
                "activity": .string(["3", "3", "4", "1"][rng.next(4)]),
                "funding": .string(["KCQG", "KCDP", "KCDP", "KHAC"][rng.next(4)]),
                "approved_budget": .number(budget),
                "disbursed": .number((budget * Double(rng.next(100)) / 100).rounded()),
                "status": .string(status),
            ]
            if status == "NT" {
                row["accepted_on"] = .date(SpreadsheetDate(year: period.year, month: period.quarter * 3 - 1, day: 1 + rng.next(27)))
            }
            projects.append(row)
        }
        c.tables["projects"] = projects
        c.indicators["indicators"] = [
            "establishments": .number(Double(300 + rng.next(900))),
            "establishment_labourers": .number(Double(2_000 + rng.next(9_000))),
            "products_province": .number(Double(rng.next(4))),
            "products_region": .number(Double(rng.next(2))),
            "products_nation": .number(0),
            "artisans": .number(Double(rng.next(3))),
            "fairs": .number(Double(rng.next(3))),
            "booths": .number(Double(rng.next(10))),
            "trainees": .number(Double(rng.next(300))),
            "clusters": .number(Double(1 + rng.next(3))),
            "cluster_occupancy": .number(Double(400 + rng.next(600)) / 10),
            "villages_total": .number(Double(villages.count)),
        ]
        return c
    }

    /// The same form with two mistakes a clerk makes: text typed in a number cell, and a
    /// recognised village without its year.
    public static func invalidContent(unit: ReportingUnit, period: Period) -> FormContent {
        var c = content(unit: unit, period: period)
        c.tables["villages"]![0]["labourers"] = .string("khoảng 500 người")
        c.tables["villages"]![1]["recognition"] = .string("CN")
        c.tables["villages"]![1]["year_recognised"] = nil
        return c
    }
}

/// A small deterministic generator (SplitMix64), so demo data is the same on every machine.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

private extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is randomly seeded).
    var hashValueStable: Int {
        Int(truncatingIfNeeded: utf8.reduce(UInt64(1_469_598_103_934_665_603)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 } >> 1)
    }
}
