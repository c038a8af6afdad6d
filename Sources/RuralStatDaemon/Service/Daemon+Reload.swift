// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatConfig
import RuralStatFiles
import RuralStatPublishing
import Logging
import RuralStatCore
import RuralStatStore
#if canImport(Glibc)
import Glibc
#endif

extension Daemon {
    /// SIGHUP: the configuration, schema and report definitions again. A new set that does not
    /// load is logged and the running one kept; nothing in hand is lost either way.
    func reload() {
        guard let reloader else { return }
        notifier.reloading()
        do {
            let (newConfig, newDefinitions) = try reloader()
            try checkReload(newConfig)
            try checkCodes(newDefinitions.schema)
            for dir in newConfig.paths.all { try DurableFiles.makeDirectory(dir) }
            // Checked as at a start: the new folders must work before the running ones are let go.
            if let problem = newConfig.paths.renameProblems().first { throw ConfigurationError(problem) }
            let running = Set(config.paths.all)
            for dir in newConfig.paths.all where !running.contains(dir) && access(dir, W_OK | X_OK) != 0 {
                throw ConfigurationError("the daemon cannot write \(dir) (\(String(cString: strerror(errno)))): fix its owner or mode, then reload")
            }
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

    /// A new form whose code lists no longer hold codes the stored figures use (a trade group,
    /// a funding source): its reports would lose those figures from their breakdowns without a
    /// word. Refused, naming the codes; keep them in the list (a code can be kept while no new
    /// file uses it).
    private func checkCodes(_ schema: FormSchema) throws {
        var dropped: [String] = []
        for (key, codes) in try store.codesInUse().sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let sheet = schema.sheets.first(where: { $0.id == parts[0] }) else { continue }
            let spec = sheet.columns.first { $0.spec.id == parts[1] }?.spec ?? sheet.fields.first { $0.spec.id == parts[1] }?.spec
            guard let list = spec?.codes else { continue }
            let known = Set(list.map(\.code))
            let missing = codes.subtracting(known).sorted()
            if !missing.isEmpty { dropped.append("\(key): \(missing.joined(separator: ", "))") }
        }
        let fields = Set(schema.sheets.flatMap { sheet in
            (sheet.fields.map(\.spec.id) + sheet.columns.map(\.spec.id) + sheet.rows.map(\.spec.id)).map { sheet.id + "." + $0 }
        })
        let vanished = try store.fieldsInUse().subtracting(fields).sorted()
        guard vanished.isEmpty else {
            throw ConfigurationError("the new form has no place for figures the store holds (\(vanished.joined(separator: ", "))): they would vanish from the reports; keep those columns or rows")
        }
        guard dropped.isEmpty else {
            throw ConfigurationError("the new form's code lists leave out codes the stored figures use, which would drop them from the reports' breakdowns: \(dropped.joined(separator: "; ")); keep them in the lists")
        }
    }
}
