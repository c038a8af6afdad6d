import Foundation
import CellModel
public import RuralStatCore
import RuralStatRender

/// Writes a period's reports into `reports/<period>/`, each published atomically so a
/// manager opening the folder never sees half a file.
public struct ReportPublisher {
    public let ledger: PeriodLedger
    public let folder: String

    public init(ledger: PeriodLedger, folder: String) {
        self.ledger = ledger
        self.folder = folder
    }

    /// Rebuilds every report of `period`; returns the paths written.
    @discardableResult
    public func publish(_ period: Period) throws -> [String] {
        let writer = ReportWriter()
        var written: [String] = []
        for report in try ledger.reports(period) {
            let path = "\(folder)/\(period)/\(report.definition.file)-\(period).xlsx"
            try DurableFiles.publish(path) { temp in try writer.write(report, to: temp) }
            written.append(path)
        }
        return written
    }
}
