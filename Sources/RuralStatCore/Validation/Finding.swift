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
    /// The value found, as text.
    public var value: String?
    public var message: LocalizedText

    public init(_ severity: Severity, rule: String, sheet: String?, cell: String?, value: String?, message: LocalizedText) {
        self.severity = severity
        self.rule = rule
        self.sheet = sheet
        self.cell = cell
        self.value = value
        self.message = message
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
