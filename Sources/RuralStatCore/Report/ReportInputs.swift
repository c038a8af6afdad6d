// SPDX-License-Identifier: Apache-2.0
public import CellModel
public import Foundation

/// Everything known about a period that a report can show, gathered from the store.
public struct ReportInputs: Sendable {
    /// The province as it stood in the period.
    public var province: Province
    /// Units, areas and the province, with the predecessors whose history each compares with.
    public var scopes: ComparisonScopes
    public var period: Period
    public var catalog: FigureCatalog
    public var statuses: [UnitStatus]
    /// When a file became late.
    public var deadline: Date
    /// Holds the period's tallies, and every quarter the comparisons need when a sheet asks.
    public var aggregator: QuarterlyAggregator
    public var plans: PlanTargets
    /// The submissions that count, for detail lists.
    public var submissions: [SubmissionData]
    /// The warnings of each unit's counted submission.
    public var warnings: [String: [Finding]]
    /// Extra lines for every sheet's notes (merged units).
    public var notes: [String]
    public var issuedOn: SpreadsheetDate

    public init(province: Province, scopes: ComparisonScopes? = nil, period: Period, catalog: FigureCatalog, statuses: [UnitStatus], deadline: Date,
                aggregator: QuarterlyAggregator, plans: PlanTargets = PlanTargets(), submissions: [SubmissionData] = [],
                warnings: [String: [Finding]] = [:], notes: [String] = [], issuedOn: SpreadsheetDate) {
        self.province = province
        self.scopes = scopes ?? ComparisonScopes(province: province, period: period, successions: [])
        self.period = period
        self.catalog = catalog
        self.statuses = statuses
        self.deadline = deadline
        self.aggregator = aggregator
        self.plans = plans
        self.submissions = submissions
        self.warnings = warnings
        self.notes = notes
        self.issuedOn = issuedOn
    }
}
