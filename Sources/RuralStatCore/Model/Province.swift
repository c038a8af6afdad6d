import Foundation

/// A district, town or commune office that submits a quarterly report.
public struct ReportingUnit: Hashable, Sendable, Codable {
    /// Stable code, written on the cover sheet and used as the folder name.
    public var code: String
    public var name: String
    /// A group the reports total by (for example the old district of a commune); optional.
    public var group: String?

    public init(code: String, name: String, group: String? = nil) {
        self.code = code
        self.name = name
        self.group = group
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

    public init(name: String, parentBody: String, issuingBody: String, place: String, units: [ReportingUnit]) {
        self.name = name
        self.parentBody = parentBody
        self.issuingBody = issuingBody
        self.place = place
        self.units = units
    }

    public func unit(_ code: String) -> ReportingUnit? {
        let key = code.trimmingCharacters(in: .whitespaces).uppercased()
        return units.first { $0.code.uppercased() == key }
    }
}
