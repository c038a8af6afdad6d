// SPDX-License-Identifier: Apache-2.0
import CellModel
import Testing
@testable import RuralStatCore

@Suite("Validating a submission")
struct ValidationTests {
    @Test func acceptsACorrectFormAndTypesEveryValue() throws {
        let result = Fixtures.validate(Fixtures.sheets())
        #expect(result.findings.isEmpty, "\(result.findings)")
        let data = try #require(result.submission)
        #expect(data.unitCode == "U01")
        #expect(data.period == Period("2025-Q3"))
        let villages = data.rows(of: "villages")
        #expect(villages.count == 2)
        #expect(villages[0]["recognition"] == .code("CN"))
        #expect(villages[0]["production_value"] == .money(dong: 1_250_500_000))
        #expect(data.rows(of: "projects")[1]["approved_budget"] == .money(dong: 750_250_000))
        #expect(data.value(sheet: "indicators", field: "cluster_occupancy") == .decimal(72.5))
        #expect(data.value(sheet: "cover", field: "date_prepared") == .date(SpreadsheetDate(year: 2025, month: 10, day: 5)))
    }

    /// One bad cell per case: where it is, what it holds, and the finding it must give.
    static let badCells: [(sheet: String, cell: String, value: CellValue?, rule: String)] = [
        ("villages", "M6", .string("khoảng 500 người"), "type.integer"),
        ("villages", "M6", .number(12.5), "type.integer"),
        ("villages", "M6", .number(-3), "bounds.min"),
        ("villages", "H6", nil, "required"),
        ("villages", "D6", .string("9"), "type.code"),
        ("villages", "E6", .string("ĐCN"), "type.code"),
        ("villages", "F6", .number(1800), "bounds.min"),
        ("villages", "G6", .string("có lẽ"), "type.boolean"),
        ("villages", "N6", .string("1.250,5 triệu"), "type.number"),
        ("villages", "N6", .error("#DIV/0!"), "cell.error"),
        ("villages", "N6", .formula("SUM(N7:N9)"), "cell.formula_without_value"),
        ("villages", "A7", .string("V1"), "unique"),
        ("villages", "B4", .string("Tên"), "header.missing"),
        ("projects", "F6", .number(200_000), "bounds.max"),
        ("projects", "E6", .string("NSNN"), "type.code"),
        ("projects", "I6", .string("32/13/2025"), "type.date"),
        ("indicators", "C7", .string("99"), "indicators.row_code"),
        ("indicators", "E5", nil, "required"),
        ("indicators", "E15", .number(120), "bounds.max"),
        ("cover", "B5", .string("X99"), "cover.unit_unknown"),
        ("cover", "B3", .string("ruralstat-quarterly v0"), "form.version"),
        ("cover", "B3", .string("Biểu mẫu khác"), "form.unknown"),
        ("cover", "B8", .number(5), "bounds.max"),
        ("cover", "B9", nil, "required"),
        // Cover, one by one.
        ("cover", "B5", nil, "required"),
        ("cover", "B6", nil, "required"),
        ("cover", "B7", nil, "required"),
        ("cover", "B7", .number(1999), "bounds.min"),
        ("cover", "B7", .string("năm nay"), "type.integer"),
        ("cover", "B8", .number(0), "bounds.min"),
        ("cover", "B8", .number(2.5), "type.integer"),
        ("cover", "B8", .string("III"), "type.integer"),
        ("cover", "B10", .string("gọi anh Nam"), "text.pattern"),
        ("cover", "B11", .string("31/02/2025"), "type.date"),
        ("cover", "B11", .string("hôm qua"), "type.date"),
        ("cover", "B11", .bool(true), "type.date"),
        // Craft villages.
        ("villages", "A6", .string("LN 01"), "text.pattern"),
        ("villages", "A6", .string(String(repeating: "A", count: 25)), "text.too_long"),
        ("villages", "B6", nil, "required"),
        ("villages", "B6", .string(String(repeating: "làng ", count: 50)), "text.too_long"),
        ("villages", "C6", nil, "required"),
        ("villages", "D6", nil, "required"),
        ("villages", "D6", .number(0), "type.code"),
        ("villages", "D6", .string("gốm"), "type.code"),
        ("villages", "E6", nil, "required"),
        ("villages", "F6", .number(2101), "bounds.max"),
        ("villages", "F6", .string("2010-2011"), "type.integer"),
        ("villages", "F6", nil, "villages.recognised_needs_year"),
        ("villages", "G6", .number(2), "type.boolean"),
        ("villages", "H6", .number(-1), "bounds.min"),
        ("villages", "H6", .string("1,500"), "number.ambiguous"),
        ("villages", "I6", .number(400), "villages.trade_households_within_households"),
        ("villages", "I6", nil, "required"),
        ("villages", "J6", .number(100_001), "bounds.max"),
        ("villages", "K6", .number(1.5), "type.integer"),
        ("villages", "L6", .string("vài"), "type.integer"),
        ("villages", "M6", nil, "required"),
        ("villages", "M6", .string("1.5"), "number.ambiguous"),
        ("villages", "M6", .date(SpreadsheetDate(year: 2025, month: 1, day: 1)), "type.integer"),
        ("villages", "N6", .number(-0.5), "bounds.min"),
        ("villages", "N6", .string("1,500,000"), "number.ambiguous"),
        ("villages", "N6", .bool(false), "type.number"),
        ("villages", "O6", .string("nhiều"), "type.number"),
        ("villages", "O6", .number(20_000_000), "bounds.max"),
        // Promotion projects.
        ("projects", "A7", .string("P1"), "unique"),
        ("projects", "B6", nil, "required"),
        ("projects", "C6", nil, "required"),
        ("projects", "D6", .string("10"), "type.code"),
        ("projects", "D6", nil, "required"),
        ("projects", "F6", nil, "required"),
        ("projects", "F6", .number(-10), "bounds.min"),
        ("projects", "F6", .string("450 triệu"), "type.number"),
        ("projects", "G6", .number(600), "projects.disbursed_within_budget"),
        ("projects", "H6", .string("Xong"), "type.code"),
        ("projects", "H6", nil, "required"),
        ("projects", "F6", .formula("G6*2"), "cell.formula_without_value"),
        ("projects", "G6", .error("#REF!"), "cell.error"),
        // Indicators.
        ("indicators", "C5", .string("02"), "indicators.row_code"),
        ("indicators", "E6", .number(-5), "bounds.min"),
        ("indicators", "E6", .string("khoảng 6.000"), "type.integer"),
        ("indicators", "E7", .number(1001), "bounds.max"),
        ("indicators", "E15", .string("73,5 phần trăm"), "type.number"),
        ("indicators", "E16", .number(7), "indicators.villages_match_sheet"),
        ("indicators", "E16", nil, "required"),
    ]

    @Test func theTableHasAtLeastSixtyCases() {
        #expect(Self.badCells.count >= 60)
    }

    @Test(arguments: badCells)
    func pointsAtTheCellToCorrect(_ c: (sheet: String, cell: String, value: CellValue?, rule: String)) {
        let result = Fixtures.validate(Fixtures.sheets { $0.set(c.sheet, c.cell, c.value) })
        let sheetName = Fixtures.schema.sheet(c.sheet)!.name
        #expect(result.submission == nil)
        let match = result.findings.first { $0.rule == c.rule && $0.cell == c.cell && $0.sheet == sheetName }
        #expect(match != nil, "expected \(c.rule) at \(sheetName)!\(c.cell), got \(result.findings.map { "\($0.rule)@\($0.cell ?? "-")" })")
        #expect(match?.severity == .error)
        #expect(match?.message.vi.contains(c.cell) == true)
        #expect(match?.message.en.contains(c.cell) == true)
    }

    @Test func recognisedVillageWithoutYearIsFoundOnTheYearCell() {
        let result = Fixtures.validate(Fixtures.sheets(villages: [Fixtures.village("V1", recognition: "CN", year: nil)]))
        let f = result.findings.first { $0.rule == "villages.recognised_needs_year" }
        #expect(f?.cell == "F6")
        #expect(f?.message.vi.contains("năm công nhận") == true)
    }

    @Test func rowRuleFillsTheValuesIntoTheMessage() {
        let result = Fixtures.validate(Fixtures.sheets(villages: [Fixtures.village("V1", households: 100, tradeHouseholds: 150)]))
        let f = result.findings.first { $0.rule == "villages.trade_households_within_households" }
        #expect(f?.cell == "I6")
        #expect(f?.message.vi.contains("(150)") == true)
        #expect(f?.message.vi.contains("(100)") == true)
    }

    @Test func aMissingSheetIsNamed() {
        var sheets = Fixtures.sheets()
        sheets.removeAll { $0.name == "Đề án khuyến công" }
        let result = Fixtures.validate(sheets)
        #expect(result.findings.contains { $0.rule == "sheet.missing" && $0.sheet == "Đề án khuyến công" })
    }

    @Test func aFileInAnotherUnitsFolderIsRejected() {
        let result = Fixtures.validate(Fixtures.sheets(unit: "U01"), expectedUnit: "U02")
        #expect(result.findings.contains { $0.rule == "cover.unit_mismatch" && $0.cell == "B5" })
    }

    /// A district's file for a quarter after the reform, a new commune's for one before it: the
    /// figures would count nowhere, so the file is refused on its unit cell with the quarters.
    @Test(arguments: [(2025.0, 3.0, "U01", "đến hết quý II năm 2025"), (2025, 2, "U02", "từ quý III năm 2025")])
    func aUnitsFileForAQuarterItDoesNotReportForIsRefused(year: Double, quarter: Double, unit: String, said: String) {
        let province = Province(name: "Tỉnh Thử", parentBody: "UBND TỈNH THỬ", issuingBody: "SỞ CÔNG THƯƠNG", place: "Thử", units: [
            ReportingUnit(code: "U01", name: "Huyện Một", until: Period("2025-Q2")),
            ReportingUnit(code: "U02", name: "Xã Hai", from: Period("2025-Q3")),
        ])
        let validator = SubmissionValidator(schema: Fixtures.schema, province: province)
        let refused = validator.validate(sheets: Fixtures.sheets(unit: unit, year: year, quarter: quarter))
        let finding = refused.findings.first { $0.rule == "cover.unit_not_in_period" }
        #expect(finding?.cell == "B5" && finding?.severity == .error && finding?.message.vi.contains(said) == true, "\(refused.findings)")
        // The same unit for a quarter it reports for is accepted.
        let other = validator.validate(sheets: Fixtures.sheets(unit: unit, year: 2025, quarter: unit == "U01" ? 2 : 3))
        #expect(!other.findings.contains { $0.rule == "cover.unit_not_in_period" }, "\(other.findings)")
    }

    @Test func blankRowsBetweenDataAreSkippedAndCodesMatchLabelsOrDropDownText() throws {
        var v2 = Fixtures.village("V2")
        v2["trade_group"] = .string("4 - Sản xuất đồ gỗ")
        v2["recognition"] = .string("Đã được công nhận")
        let result = Fixtures.validate(Fixtures.sheets(villages: [Fixtures.village("V1"), [:], v2]))
        #expect(result.isValid, "\(result.findings)")
        let rows = try #require(result.submission).rows(of: "villages")
        #expect(rows.count == 2)
        #expect(rows[1]["trade_group"] == .code("4"))
        #expect(rows[1]["recognition"] == .code("CN"))
    }

    @Test(arguments: [("1500", 1500.0), ("4,34", 4.34), ("0,5", 0.5)])
    func numbersTypedAsTextAreReadWhenUnambiguous(_ text: String, _ expected: Double) throws {
        var row = Fixtures.village("V1")
        row["export_value"] = .string(text)
        let data = try #require(Fixtures.validate(Fixtures.sheets(villages: [row])).submission)
        #expect(data.rows(of: "villages")[0]["export_value"] == .decimal(expected))
    }

    @Test(arguments: ["15/10/2025", "2025-10-15", "15-10-2025"])
    func datesTypedAsTextAreRead(_ text: String) throws {
        let data = try #require(Fixtures.validate(Fixtures.sheets { $0.set("cover", "B11", .string(text)) }).submission)
        #expect(data.value(sheet: "cover", field: "date_prepared") == .date(SpreadsheetDate(year: 2025, month: 10, day: 15)))
    }

    @Test func nfdHeadersAndSheetNamesStillMatch() {
        let result = Fixtures.validate(Fixtures.sheets { sheets in
            let nfd = "Làng nghề".decomposedStringWithCanonicalMapping
            sheets["villages"]!.name = nfd
            sheets.set("villages", "B4", .string("TÊN  LÀNG NGHỀ".decomposedStringWithCanonicalMapping))
        })
        #expect(result.isValid, "\(result.findings)")
    }

    @Test func feedbackTextNamesSheetCellAndRuleInBothLanguages() {
        let result = Fixtures.validate(Fixtures.sheets { $0.set("villages", "M6", .string("nhiều")) })
        // 10 October 2025, 08:00 UTC: 15:00 in Vietnam.
        let text = FeedbackText.render(fileName: "bc.xlsx", receivedAt: Date(timeIntervalSince1970: 1_760_083_200), sha256: "ab",
                                       unitCode: "U01", unitName: "Huyện Một", period: result.period, verdict: .rejected, findings: result.findings)
        #expect(text.contains("Nhận lúc: 10/10/2025 15:00 (giờ Việt Nam)"), "\(text)")
        #expect(text.contains("Received: 10/10/2025 15:00 (Vietnam time, UTC+7)"), "\(text)")
        #expect(!text.contains("UTC\r") && !text.contains("08:00"), "\(text)")
        #expect(text.contains("Đơn vị: Huyện Một (U01)") && text.contains("Unit: Huyện Một (U01)"), "\(text)")
        #expect(text.contains("Trang tính \"Làng nghề\""))
        #expect(text.contains("Ô M6 (Số lao động)"))
        #expect(text.contains("Cell M6 (Labourers)"))
        #expect(text.contains("CHƯA TIẾP NHẬN"))
    }
}

import Foundation

@Suite("Validating without a list of units")
struct OfflineValidationTests {
    @Test func anyUnitCodeIsAcceptedWhenNoUnitsAreConfigured() throws {
        let province = Province(name: "", parentBody: "", issuingBody: "", place: "", units: [])
        let result = SubmissionValidator(schema: Fixtures.schema, province: province).validate(sheets: Fixtures.sheets(unit: "ANY-9"))
        #expect(result.isValid, "\(result.findings)")
        #expect(try #require(result.submission).unitCode == "ANY-9")
    }
}

@Suite("Numbers typed as text")
struct VietnameseNumberTests {
    @Test(arguments: [
        ("1500", 1500.0), ("1.500", 1500), ("1.500.000", 1_500_000), ("4,34", 4.34), ("1.500,5", 1500.5),
        ("0,5", 0.5), ("-2.000", -2000), ("1 500 000", 1_500_000), (" 12 ", 12), ("1,5", 1.5), ("12,3456", 12.3456),
    ])
    func readsTheVietnameseWay(_ text: String, _ expected: Double) {
        #expect(VietnameseNumber.read(text) == .value(expected), "\(text)")
    }

    @Test(arguments: ["1,500", "12,345", "4.34", "1.5", "1,500,000", "1,500.5", "999,999"])
    func whatCouldBeReadTwoWaysIsNotGuessed(_ text: String) {
        switch VietnameseNumber.read(text) {
        case .ambiguous, .englishStyle: break
        case let other: Issue.record("\(text) read as \(other)")
        }
    }

    @Test(arguments: ["1.50", "1..5", "abc", "1.500,", ",5", "1.5.00", "12%", "1 5"])
    func whatIsNotANumberIsSaidSo(_ text: String) {
        if case .value(let v) = VietnameseNumber.read(text) { Issue.record("\(text) read as \(v)") }
    }

    @Test func anAmbiguousNumberIsAFindingOnItsCellWithBothReadings() {
        var row = Fixtures.village("V1")
        row["production_value"] = .string("1,500")
        let result = Fixtures.validate(Fixtures.sheets(villages: [row]))
        let f = result.findings.first { $0.rule == "number.ambiguous" }
        #expect(f?.cell == "N6")
        #expect(f?.message.vi.contains("1,5 hoặc 1500") == true)
    }

    @Test func percentagesAreReadAs73Or73PercentText() throws {
        for text in ["73,5", "73,5%", "73,5 %"] {
            var ind = Fixtures.indicators
            ind["cluster_occupancy"] = .string(text)
            let data = try #require(Fixtures.validate(Fixtures.sheets(indicators: ind)).submission, "\(text)")
            #expect(data.value(sheet: "indicators", field: "cluster_occupancy") == .decimal(73.5))
        }
    }
}

@Suite("Percent cells")
struct PercentCellTests {
    @Test func aPercentFormattedFractionCountsAsPercentPoints() throws {
        let result = Fixtures.validate(Fixtures.sheets { sheets in
            sheets.set("indicators", "E15", .number(0.735))
            sheets["indicators"]!.percentFormatted.insert(CellAddress(a1: "E15")!)
        })
        #expect(try #require(result.submission).value(sheet: "indicators", field: "cluster_occupancy") == .decimal(73.5))
    }

    @Test func aPlainNumberIsTakenAsWritten() throws {
        let result = Fixtures.validate(Fixtures.sheets { $0.set("indicators", "E15", .number(0.735)) })
        #expect(try #require(result.submission).value(sheet: "indicators", field: "cluster_occupancy") == .decimal(0.735))
    }
}

@Suite("Legacy Vietnamese encodings")
struct LegacyEncodingTests {
    /// Cross-checked conversions: TCVN3 decoded by glibc's TCVN5712-1, VNI by two converters.
    @Test(arguments: [
        ("Hµ Néi", LegacyVietnamese.Encoding.tcvn3, "Hà Nội"), ("NguyÔn", .tcvn3, "Nguyễn"), ("§ång Nai", .tcvn3, "Đồng Nai"),
        ("lµng nghÒ", .tcvn3, "làng nghề"), ("khuyÕn c«ng", .tcvn3, "khuyến công"),
        ("Ng\u{00AD}êi lao ®éng ®\u{00AD}îc tr¶ l\u{00AD}¬ng", .tcvn3, "Người lao động được trả lương"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", .tcvn3, "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("Haø Noäi", .vni, "Hà Nội"), ("Nguyeãn", .vni, "Nguyễn"), ("Ñoàng Nai", .vni, "Đồng Nai"),
        ("laøng ngheà", .vni, "làng nghề"), ("khuyeán coâng", .vni, "khuyến công"),
        ("TRÖÔØNG ÑAÏI HOÏC SÖ PHAÏM", .vni, "TRƯỜNG ĐẠI HỌC SƯ PHẠM"), ("Kyõ só, chò, tænh, Khaùnh Hoøa", .vni, "Kỹ sĩ, chị, tỉnh, Khánh Hòa"),
    ])
    func convertsToUnicode(_ text: String, _ encoding: LegacyVietnamese.Encoding, _ unicode: String) throws {
        let found = try #require(LegacyVietnamese.detect(text), "\(text) not detected")
        #expect(found.encoding == encoding)
        #expect(found.unicode == unicode)
    }

    @Test(arguments: ["Hà Nội", "Hà Giang", "Bát Tràng", "Hòa Bình", "Tây Ninh", "Cà Mau", "Kiên Giang", "Thái Bình", "Hoà Vang", "Quý Châu", "Gia Lâm", "Yên Mô", "làng nghề".decomposedStringWithCanonicalMapping, "HDG-LN01", "Café", "ÔNG Ổ"])
    func leavesUnicodeAndPlainTextAlone(_ text: String) {
        #expect(LegacyVietnamese.detect(text) == nil, "\(text)")
    }

    @Test func aNameTypedInTCVN3IsStoredInUnicodeWithAWarningOnItsCell() throws {
        var row = Fixtures.village("V1")
        row["name"] = .string("Lµng gèm Chu §Ëu")
        let result = Fixtures.validate(Fixtures.sheets(villages: [row]) { sheets in
            sheets.set("villages", "C4", .string("X·, ph\u{00AD}êng"))   // a header typed in TCVN3 still matches
        })
        #expect(result.isValid, "\(result.findings)")
        let data = try #require(result.submission)
        #expect(data.rows(of: "villages")[0]["name"] == .text("Làng gốm Chu Đậu"))
        let w = result.warnings.first { $0.rule == "text.legacy_encoding" }
        #expect(w?.cell == "B6")
        #expect(w?.message.vi.contains("TCVN3") == true)
    }
}
