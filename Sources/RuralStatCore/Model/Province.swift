// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A district, town or commune office that submits a quarterly report.
public struct ReportingUnit: Hashable, Sendable, Codable {
    /// Stable code, written on the cover sheet and used as the folder name.
    public var code: String
    public var name: String
    /// A group the reports total by (for example the old district of a commune); optional.
    public var group: String?
    /// The first quarter the unit reports for (a unit created by a merger); nil: always.
    public var from: Period?
    /// The last quarter the unit reports for (a unit merged away); nil: still reporting.
    public var until: Period?
    /// Where the unit's answers are mailed (the commune office's addresses); nil: none.
    public var email: [String]?
    /// The unit's account on the province's Samba share (`smb_user`); nil: `shareAccount`'s default.
    public var smbUser: String?

    enum CodingKeys: String, CodingKey {
        case code, name, group, from, until, email
        case smbUser = "smb_user"
    }

    /// The unit's account on the share: `smb_user`, or "dv" and its code in lower case ("dv10525").
    public var shareAccount: String { smbUser ?? "dv" + code.lowercased() }

    public init(code: String, name: String, group: String? = nil, from: Period? = nil, until: Period? = nil) {
        self.code = code
        self.name = name
        self.group = group
        self.from = from
        self.until = until
    }

    /// True when the unit is expected to report for `period`.
    public func reports(in period: Period) -> Bool {
        (from.map { $0 <= period } ?? true) && (until.map { period <= $0 } ?? true)
    }
}

/// The province whose Department of Industry and Trade receives the reports.
public struct Province: Hashable, Sendable, Codable {
    /// "Tỉnh Hải Dương".
    public var name: String
    /// Printed top left of reports above the issuing body: "UBND TỈNH HẢI DƯƠNG".
    public var parentBody: String
    /// "SỞ CÔNG THƯƠNG".
    public var issuingBody: String
    /// Where the signature block's place-and-date line says the report was made: "Hải Dương".
    public var place: String
    public var units: [ReportingUnit]
    /// The province's two-digit code in the list of administrative units in force since 1 July
    /// 2025 (Quyết định 19/2025/QĐ-TTg): how the level above knows it. "31" for Hải Phòng.
    public var code: String?

    public init(name: String, parentBody: String, issuingBody: String, place: String, units: [ReportingUnit], code: String? = nil) {
        self.code = code
        self.name = name
        self.parentBody = parentBody
        self.issuingBody = issuingBody
        self.place = place
        self.units = units
    }

    /// The province as it stood in `period`: only the units expected to report then.
    public func asOf(_ period: Period) -> Province {
        var p = self
        p.units = units.filter { $0.reports(in: period) }
        return p
    }

    /// How the reports name the whole, in lower case: "toàn tỉnh"; "toàn thành phố" for a
    /// centrally-run city ("Thành phố Hải Phòng"); "toàn quốc" at the ministry (whose "province"
    /// is named "Toàn quốc").
    public var whole: String {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        if key.hasPrefix("toàn ") { return key }
        if key.hasPrefix("thành phố ") { return "toàn thành phố" }
        return "toàn tỉnh"
    }

    public func unit(_ code: String) -> ReportingUnit? {
        let key = code.trimmingCharacters(in: .whitespaces).uppercased()
        return units.first { $0.code.uppercased() == key }
    }
}

extension String {
    /// A name safe in a file or folder name and in a cell: letters, digits, `-` and `_`, not
    /// empty. Unit codes (their inbox folders) and report file stems must be such names.
    public var isPlainName: Bool {
        !isEmpty && allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}
