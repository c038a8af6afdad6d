// SPDX-License-Identifier: Apache-2.0
public import RuralStatCore

/// What one publication of a period made: where its reports are, and the province's figures
/// and who has reported, taken from the tallies and statuses the reports were built from (the
/// managers' digest quotes them; nothing is tallied again for it).
public struct Publication: Sendable {
    public var period: Period
    /// The report workbooks, one per report definition.
    public var paths: [String]
    public var completeness: Completeness
    /// The tallies the reports were built from, and the province's keys in them: the figures
    /// are worked out only when asked (a site without managers' mail never asks).
    let aggregator: QuarterlyAggregator
    let provinceKeys: [String]
    /// What the reports say of the period's approval for the ministry, if it was approved
    /// (`PeriodQuery.approvalNote`): the managers' mail repeats it.
    public var approvalNote: String?

    /// The province's figures of the period (`FigureComparison.quarter` is the quarter's own).
    public var figures: [String: FigureComparison] { aggregator.compare(period, units: provinceKeys) }

    init(period: Period, paths: [String], completeness: Completeness, aggregator: QuarterlyAggregator, provinceKeys: [String],
         approvalNote: String? = nil) {
        self.approvalNote = approvalNote
        self.period = period
        self.paths = paths
        self.completeness = completeness
        self.aggregator = aggregator
        self.provinceKeys = provinceKeys
    }
}
