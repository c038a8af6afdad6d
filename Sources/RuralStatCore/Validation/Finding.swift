// SPDX-License-Identifier: Apache-2.0
import CellModel

/// How serious a finding is: errors reject the file, warnings are reported and accepted.
public enum Severity: String, Codable, Sendable, Comparable {
    case error, warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
}

/// One thing wrong with a submission, pointing at the cell to correct.
public struct Finding: Sendable, Hashable, Codable {
    public var severity: Severity
    /// Stable rule id, such as `type.integer` or `villages.recognised_needs_year`.
    public var rule: String
    /// The worksheet name as the clerk sees it; nil for the file as a whole.
    public var sheet: String?
    /// The A1 cell; nil when the finding is about a sheet or the file.
    public var cell: String?
    /// The value found, as text, as the message quotes it.
    public var value: String?
    /// The same value as a number, when the unit entered one: what a workbook writes in a
    /// number cell (a manager sorts and sums it); nil for text, codes, dates and no value.
    public var number: FoundNumber?
    public var message: LocalizedText

    public init(_ severity: Severity, rule: String, sheet: String?, cell: String?, value: String?, number: FoundNumber? = nil,
                message: LocalizedText) {
        self.severity = severity
        self.rule = rule
        self.sheet = sheet
        self.cell = cell
        self.value = value
        self.number = number
        self.message = message
    }
}

/// A number a finding quotes, as a report prints its figure: in the figure's unit (million
/// đồng for money, 73.5 for 73.5 %) with the figure's format, or as typed when the cell did not
/// pass its type (3.5 in a count is shown 3.5, not rounded to 4).
public struct FoundNumber: Sendable, Hashable, Codable {
    public var value: Double
    /// The figure's format; nil: as typed (General).
    public var format: FigureFormat?

    public init(_ value: Double, format: FigureFormat?) {
        self.value = value
        self.format = format
    }

    /// A value read for a cell of `spec`: a number in its figure's format (a year as a year), nil
    /// when it is not a number.
    public init?(_ value: FactValue?, spec: ValueSpec) {
        guard let n = value?.number else { return nil }
        self.init(n, format: FigureFormat(spec))
    }
}

extension Finding {
    /// Order within one sheet: findings about the whole sheet first, then by row and column.
    public static func cellOrder(_ a: Finding, _ b: Finding) -> Bool {
        switch (a.cell.flatMap(CellAddress.init(a1:)), b.cell.flatMap(CellAddress.init(a1:))) {
        case let (x?, y?): return x < y
        case (nil, _?): return true
        default: return false
        }
    }
}

/// The verdict on one file: its findings, and its data when it has no errors.
public struct ValidationResult: Sendable {
    public var findings: [Finding]
    /// Present only when there are no errors.
    public var submission: SubmissionData?
    /// Unit and period as far as they could be read, for routing feedback even when invalid.
    public var unitCode: String?
    public var period: Period?

    public init(findings: [Finding], submission: SubmissionData?, unitCode: String?, period: Period?) {
        self.findings = findings
        self.submission = submission
        self.unitCode = unitCode
        self.period = period
    }

    public var errors: [Finding] { findings.filter { $0.severity == .error } }
    public var warnings: [Finding] { findings.filter { $0.severity == .warning } }
    public var isValid: Bool { errors.isEmpty }
}
