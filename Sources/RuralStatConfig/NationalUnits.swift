// SPDX-License-Identifier: Apache-2.0
public import RuralStatCore

/// The country as the ministry's instance sees it: the 34 provincial-level units in force since
/// 1 July 2025 (Nghị quyết 202/2025/QH15) with their codes in the list of administrative units
/// (Quyết định 19/2025/QĐ-TTg), each in its socio-economic region (Nghị quyết 306/NQ-CP of
/// 5 October 2025: six regions; a province formed from two former regions is placed as that
/// resolution places it), and the 63 former provinces each lies whole over, with their codes
/// in the list before (Quyết định 124/2004/QĐ-TTg). Sources and what is still to verify:
/// `docs/research/provinces-2025.yaml`.
public enum NationalUnits {
    /// A province since 1 July 2025.
    public struct Member: Sendable {
        public var code: String
        public var name: String
        public var region: String
        /// The former provinces (code, name) merged into it, its own former self included.
        public var former: [(code: String, name: String)]
    }

    /// How a former province is coded as a unit of the national instance: its old code with
    /// `TC` (tỉnh cũ) before it, since seven new provinces took the code of another former one.
    public static func formerCode(_ code: String) -> String { "TC" + code }

    /// The last quarter the 63 former provinces reported for.
    public static let lastFormerQuarter = "2025-Q2"

    public static let provinces: [Member] = [
        .init(code: "01", name: "Thành phố Hà Nội", region: "Đồng bằng sông Hồng", former: [("01", "Thành phố Hà Nội")]),
        .init(code: "04", name: "Tỉnh Cao Bằng", region: "Trung du và miền núi phía Bắc", former: [("04", "Tỉnh Cao Bằng")]),
        .init(code: "08", name: "Tỉnh Tuyên Quang", region: "Trung du và miền núi phía Bắc", former: [("08", "Tỉnh Tuyên Quang"), ("02", "Tỉnh Hà Giang")]),
        .init(code: "11", name: "Tỉnh Điện Biên", region: "Trung du và miền núi phía Bắc", former: [("11", "Tỉnh Điện Biên")]),
        .init(code: "12", name: "Tỉnh Lai Châu", region: "Trung du và miền núi phía Bắc", former: [("12", "Tỉnh Lai Châu")]),
        .init(code: "14", name: "Tỉnh Sơn La", region: "Trung du và miền núi phía Bắc", former: [("14", "Tỉnh Sơn La")]),
        .init(code: "15", name: "Tỉnh Lào Cai", region: "Trung du và miền núi phía Bắc", former: [("10", "Tỉnh Lào Cai"), ("15", "Tỉnh Yên Bái")]),
        .init(code: "19", name: "Tỉnh Thái Nguyên", region: "Trung du và miền núi phía Bắc", former: [("19", "Tỉnh Thái Nguyên"), ("06", "Tỉnh Bắc Kạn")]),
        .init(code: "20", name: "Tỉnh Lạng Sơn", region: "Trung du và miền núi phía Bắc", former: [("20", "Tỉnh Lạng Sơn")]),
        .init(code: "22", name: "Tỉnh Quảng Ninh", region: "Đồng bằng sông Hồng", former: [("22", "Tỉnh Quảng Ninh")]),
        .init(code: "24", name: "Tỉnh Bắc Ninh", region: "Đồng bằng sông Hồng", former: [("27", "Tỉnh Bắc Ninh"), ("24", "Tỉnh Bắc Giang")]),
        .init(code: "25", name: "Tỉnh Phú Thọ", region: "Trung du và miền núi phía Bắc", former: [("25", "Tỉnh Phú Thọ"), ("26", "Tỉnh Vĩnh Phúc"), ("17", "Tỉnh Hoà Bình")]),
        .init(code: "31", name: "Thành phố Hải Phòng", region: "Đồng bằng sông Hồng", former: [("31", "Thành phố Hải Phòng"), ("30", "Tỉnh Hải Dương")]),
        .init(code: "33", name: "Tỉnh Hưng Yên", region: "Đồng bằng sông Hồng", former: [("33", "Tỉnh Hưng Yên"), ("34", "Tỉnh Thái Bình")]),
        .init(code: "37", name: "Tỉnh Ninh Bình", region: "Đồng bằng sông Hồng", former: [("37", "Tỉnh Ninh Bình"), ("35", "Tỉnh Hà Nam"), ("36", "Tỉnh Nam Định")]),
        .init(code: "38", name: "Tỉnh Thanh Hóa", region: "Bắc Trung Bộ", former: [("38", "Tỉnh Thanh Hóa")]),
        .init(code: "40", name: "Tỉnh Nghệ An", region: "Bắc Trung Bộ", former: [("40", "Tỉnh Nghệ An")]),
        .init(code: "42", name: "Tỉnh Hà Tĩnh", region: "Bắc Trung Bộ", former: [("42", "Tỉnh Hà Tĩnh")]),
        .init(code: "44", name: "Tỉnh Quảng Trị", region: "Bắc Trung Bộ", former: [("45", "Tỉnh Quảng Trị"), ("44", "Tỉnh Quảng Bình")]),
        .init(code: "46", name: "Thành phố Huế", region: "Bắc Trung Bộ", former: [("46", "Thành phố Huế")]),
        .init(code: "48", name: "Thành phố Đà Nẵng", region: "Duyên hải Nam Trung Bộ và Tây Nguyên", former: [("48", "Thành phố Đà Nẵng"), ("49", "Tỉnh Quảng Nam")]),
        .init(code: "51", name: "Tỉnh Quảng Ngãi", region: "Duyên hải Nam Trung Bộ và Tây Nguyên", former: [("51", "Tỉnh Quảng Ngãi"), ("62", "Tỉnh Kon Tum")]),
        .init(code: "52", name: "Tỉnh Gia Lai", region: "Duyên hải Nam Trung Bộ và Tây Nguyên", former: [("64", "Tỉnh Gia Lai"), ("52", "Tỉnh Bình Định")]),
        .init(code: "56", name: "Tỉnh Khánh Hòa", region: "Duyên hải Nam Trung Bộ và Tây Nguyên", former: [("56", "Tỉnh Khánh Hòa"), ("58", "Tỉnh Ninh Thuận")]),
        .init(code: "66", name: "Tỉnh Đắk Lắk", region: "Duyên hải Nam Trung Bộ và Tây Nguyên", former: [("66", "Tỉnh Đắk Lắk"), ("54", "Tỉnh Phú Yên")]),
        .init(code: "68", name: "Tỉnh Lâm Đồng", region: "Duyên hải Nam Trung Bộ và Tây Nguyên", former: [("68", "Tỉnh Lâm Đồng"), ("67", "Tỉnh Đắk Nông"), ("60", "Tỉnh Bình Thuận")]),
        .init(code: "75", name: "Tỉnh Đồng Nai", region: "Đông Nam Bộ", former: [("75", "Tỉnh Đồng Nai"), ("70", "Tỉnh Bình Phước")]),
        .init(code: "79", name: "Thành phố Hồ Chí Minh", region: "Đông Nam Bộ", former: [("79", "Thành phố Hồ Chí Minh"), ("74", "Tỉnh Bình Dương"), ("77", "Tỉnh Bà Rịa - Vũng Tàu")]),
        .init(code: "80", name: "Tỉnh Tây Ninh", region: "Đông Nam Bộ", former: [("72", "Tỉnh Tây Ninh"), ("80", "Tỉnh Long An")]),
        .init(code: "82", name: "Tỉnh Đồng Tháp", region: "Đồng bằng sông Cửu Long", former: [("87", "Tỉnh Đồng Tháp"), ("82", "Tỉnh Tiền Giang")]),
        .init(code: "86", name: "Tỉnh Vĩnh Long", region: "Đồng bằng sông Cửu Long", former: [("86", "Tỉnh Vĩnh Long"), ("83", "Tỉnh Bến Tre"), ("84", "Tỉnh Trà Vinh")]),
        .init(code: "91", name: "Tỉnh An Giang", region: "Đồng bằng sông Cửu Long", former: [("89", "Tỉnh An Giang"), ("91", "Tỉnh Kiên Giang")]),
        .init(code: "92", name: "Thành phố Cần Thơ", region: "Đồng bằng sông Cửu Long", former: [("92", "Thành phố Cần Thơ"), ("93", "Tỉnh Hậu Giang"), ("94", "Tỉnh Sóc Trăng")]),
        .init(code: "96", name: "Tỉnh Cà Mau", region: "Đồng bằng sông Cửu Long", former: [("96", "Tỉnh Cà Mau"), ("95", "Tỉnh Bạc Liêu")]),
    ]

    /// The country as the national instance's "province": the ministry's letterhead, the 34
    /// provinces from 2025-Q3 grouped by region, and the 63 former provinces until 2025-Q2
    /// (grouped under the region of the province they lie in).
    public static var country: RuralStatCore.Province {
        let reform = Period("2025-Q3")!
        let current = provinces.map { ReportingUnit(code: $0.code, name: $0.name, group: $0.region, from: reform) }
        let former = provinces.flatMap { p in
            p.former.map { ReportingUnit(code: formerCode($0.code), name: $0.name + " (trước 1/7/2025)", group: p.region, until: reform.previous) }
        }
        return RuralStatCore.Province(name: "Toàn quốc", parentBody: "BỘ CÔNG THƯƠNG",
                                      issuingBody: "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG", place: "Hà Nội",
                                      units: current + former)
    }

    /// Each former province is whole in one new province: its history is that province's, exactly.
    public static var successions: [UnitSuccession] {
        provinces.flatMap { p in p.former.map { UnitSuccession(from: formerCode($0.code), to: p.code, share: 1) } }
    }
}
