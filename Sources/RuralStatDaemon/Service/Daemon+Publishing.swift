// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatFiles
import RuralStatPublishing
import Logging
import RuralStatConfig
#if canImport(Glibc)
import Glibc
#endif

extension Daemon {
    /// Whether the reports of the changed periods are due now (see `PublicationSchedule`).
    func publishDue(moreComing: Bool, once: Bool) -> Bool {
        schedule.due(now: Date(), moreComing: moreComing, settling: arrival.waiting > 0, once: once)
    }

    /// Publishes every changed period's reports; the managers are then owed their digest.
    func publishDirty() {
        for period in schedule.take(now: Date()) {
            do {
                let publication = try publisher.publish(period)
                logger.info("reports published", metadata: ["period": "\(period)", "files": "\(publication.paths.joined(separator: ", "))"])
                mailer?.owe(publication)
                schedule.published(period)
                degraded[config.paths.reports] = nil
            } catch {
                // Kept dirty and tried again a minute later: a reports folder that comes back
                // gets its reports without a new file or a restart.
                logger.error("could not publish reports; tried again in a minute", metadata: ["period": "\(period)", "error": "\(error)"])
                schedule.failed(period, now: Date(), once: runningOnce)
                if let e = error as? FileError { degraded[config.paths.reports] = String(cString: strerror(e.code)) }
            }
        }
    }
}
