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

    /// Rebuilds every report of `period`; returns the paths written. The figures are worked
    /// out once; the workbooks are then written side by side (each is its own file).
    @discardableResult
    public func publish(_ period: Period) throws -> [String] {
        let reports = try ledger.reports(period)
        let paths = reports.map { "\(folder)/\(period)/\($0.definition.file)-\(period).xlsx" }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: reports.count) { i in
            do {
                try DurableFiles.publish(paths[i]) { temp in try ReportWriter().write(reports[i], to: temp) }
            } catch {
                failures.add(error)
            }
        }
        if let first = failures.first { throw first }
        return paths
    }
}

/// Errors met by parallel work, the first kept to be thrown.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []

    func add(_ e: any Error) {
        lock.lock()
        errors.append(e)
        lock.unlock()
    }

    var first: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return errors.first
    }
}
