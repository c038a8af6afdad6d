// SPDX-License-Identifier: Apache-2.0
import Foundation
import CellModel
public import RuralStatCore
import RuralStatRender
import RuralStatStore
import RuralStatFiles
import RuralStatConfig

/// Writes a period's reports into `reports/<period>/`, each published atomically so a
/// manager opening the folder never sees half a file, and records in the store which
/// submission the published reports reach, so that reports a crash left behind are rebuilt at
/// the daemon's next start (`SubmissionStore.unpublishedPeriods`).
public struct ReportPublisher {
    public let query: PeriodQuery
    public let folder: String
    /// False for a copy written elsewhere (`ruralstat report --out`): the managers' folder is
    /// then no more up to date than before.
    public let recordsPublication: Bool

    public init(query: PeriodQuery, folder: String, recordsPublication: Bool = true) {
        self.query = query
        self.folder = folder
        self.recordsPublication = recordsPublication
    }

    /// Where the report `definition` of `period` is published.
    public func path(_ definition: ReportDefinition, _ period: Period) -> String {
        "\(folder)/\(period)/\(definition.file)-\(period).xlsx"
    }

    /// Every report of `period`, where it is published.
    public func paths(_ period: Period) -> [String] { query.definitions.reports.map { path($0, period) } }

    /// Rebuilds every report of `period`; returns what was published (the paths written, and
    /// the figures and statuses they were built from). The figures are worked out once; the
    /// workbooks are then written side by side (each is its own file).
    @discardableResult
    public func publish(_ period: Period) throws -> Publication {
        // What the reports cover is read before they are built: a file stored meanwhile leaves
        // the period due again.
        let through = try query.store.lastChange(period: period)
        let approvalNote = try query.approvalNote(period)
        let inputs = try query.reportInputs(period, approvalNote: approvalNote)
        let reports = query.reports(from: inputs)
        let paths = reports.map { path($0.definition, period) }
        let written = parallelMap(reports.count, width: reports.count) { i in
            try DurableFiles.publish(paths[i]) { temp in try ReportWriter().write(reports[i], to: temp) }
        }
        for result in written { try result.get() }
        if recordsPublication { try query.store.recordPublication(period: period, through: through, at: Date()) }
        return Publication(period: period, paths: paths, completeness: query.completeness(inputs.statuses),
                           aggregator: inputs.aggregator, provinceKeys: inputs.scopes.provinceKeys,
                           approvalNote: approvalNote)
    }

    /// What the last publication of `period` showed, worked out again from the store (for a
    /// digest owed across a restart, whose publication this process did not make).
    public func lastPublication(_ period: Period) throws -> Publication {
        let aggregator = QuarterlyAggregator(catalog: query.definitions.catalog, history: [period: try query.tallies(period)])
        return Publication(period: period, paths: paths(period), completeness: query.completeness(try query.statuses(period)),
                           aggregator: aggregator, provinceKeys: query.scopes(period).provinceKeys,
                           approvalNote: try query.approvalNote(period))
    }
}
