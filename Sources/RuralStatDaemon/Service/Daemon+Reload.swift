// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatConfig
import RuralStatFiles
import RuralStatPublishing
import Logging
import RuralStatCore
import RuralStatStore

extension Daemon {
    /// SIGHUP: the configuration, schema and report definitions again. A new set that does not
    /// load is logged and the running one kept; nothing in hand is lost either way.
    func reload() {
        guard let reloader else { return }
        notifier.reloading()
        do {
            let (newConfig, newDefinitions) = try reloader()
            try checkReload(newConfig)
            for dir in newConfig.paths.all { try DurableFiles.makeDirectory(dir) }
            // Checked as at a start: the new folders must work before the running ones are let go.
            if let problem = newConfig.paths.renameProblems().first { throw ConfigurationError(problem) }
            let newPublisher = ReportPublisher(query: PeriodQuery(config: newConfig, definitions: newDefinitions, store: store),
                                               folder: newConfig.paths.reports)
            let newMailer = try MailScheduler(config: newConfig, definitions: newDefinitions, store: store, query: newPublisher.query, logger: logger)
            // A new form (another schema) replaces the blank forms put in the units' folders.
            if newDefinitions.schema.formTag != definitions.schema.formTag { formsReplaced = false }
            formsPlacedFor = []
            config = newConfig
            definitions = newDefinitions
            pipeline = SubmissionPipeline(config: newConfig, definitions: newDefinitions, store: store, logger: logger)
            publisher = newPublisher
            mailer = newMailer
            arrival.setSettleSeconds(newConfig.intake.settleSeconds)
            arrival.openWaitSeconds = newConfig.intake.openWaitHours * 3_600
            unitFoldersMade = false
            logger.notice("configuration reloaded", metadata: [
                "units": "\(newConfig.province.units.count)", "schema": "\(newDefinitions.schema.formTag)", "reports": "\(newDefinitions.reports.count)",
            ])
        } catch {
            logger.error("reload failed; the running configuration is kept", metadata: ["error": "\(error)"])
        }
        notifier.ready(status: statusLine())
    }

    /// What a running daemon cannot take from a new configuration: another state folder, or a
    /// unit list that leaves out units with accepted figures (which would drop them from every
    /// report without a word: the admin says so by giving it an `until` quarter instead).
    private func checkReload(_ newConfig: Configuration) throws {
        guard newConfig.paths.database == config.paths.database else {
            throw ConfigurationError("the state folder cannot change while running (\(config.paths.state) → \(newConfig.paths.state)); restart instead")
        }
        let dropped = try store.periodsWithData().filter { code, _ in newConfig.province.unit(code) == nil }
        guard dropped.isEmpty else {
            let list = dropped.keys.sorted().map { code in
                let periods = dropped[code]!
                return "\(code) (\(periods.count) period(s) of figures, \(periods.first!)…\(periods.last!))"
            }.joined(separator: ", ")
            throw ConfigurationError("the new configuration leaves out unit(s) with accepted figures, which would drop them from every report: \(list); keep them listed, with `until: <last quarter>` if they no longer report")
        }
    }
}
