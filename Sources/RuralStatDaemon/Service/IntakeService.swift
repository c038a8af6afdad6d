import Foundation
public import Logging
import RuralStatCore
public import RuralStatStore
#if canImport(Glibc)
import Glibc
#endif

/// The daemon: watches the inbox, claims settled files into `work/`, runs each through the
/// pipeline, and republishes the reports of the periods that changed once a burst is over.
public final class IntakeService {
    public private(set) var config: Configuration
    public private(set) var definitions: Definitions
    public let store: SubmissionStore
    private let logger: Logger
    private var pipeline: SubmissionPipeline
    private var publisher: ReportPublisher
    private var tracker: SettleTracker
    private let notifier: SystemdNotifier
    private var lastWatchdog = Date.distantPast
    /// Loads the configuration, schema and report definitions again (SIGHUP); nil: no reload.
    public var reloader: (() throws -> (Configuration, Definitions))?
    private var dirty: Set<Period> = []
    private var lastChange = Date.distantPast
    /// Special files in the inbox (symlinks, FIFOs) already logged.
    private var reportedSkips: Set<String> = []
    /// When the oldest unpublished change came in (a long burst still gets its reports).
    private var firstChange: Date?
    /// Counts since start, for the log and the status line.
    public private(set) var counts: [ProcessOutcome.Verdict: Int] = [:]

    /// Opens the store and creates the runtime folders.
    public init(config: Configuration, definitions: Definitions, logger: Logger,
                notifier: SystemdNotifier = SystemdNotifier()) throws {
        self.config = config
        self.definitions = definitions
        self.logger = logger
        self.notifier = notifier
        for dir in config.paths.all { try DurableFiles.makeDirectory(dir) }
        store = try SubmissionStore(path: config.paths.database)
        pipeline = SubmissionPipeline(config: config, definitions: definitions, store: store, logger: logger)
        publisher = ReportPublisher(ledger: PeriodLedger(config: config, definitions: definitions, store: store),
                                    folder: config.paths.reports)
        tracker = SettleTracker(settleSeconds: config.intake.settleSeconds)
    }

    /// Runs until SIGTERM or SIGINT, or, with `once`, until the inbox is empty and reports are published.
    public func run(once: Bool) throws {
        let wake = WakeSources()
        logger.info("ruralstat started", metadata: [
            "inbox": "\(config.paths.inbox)", "units": "\(config.province.units.count)",
            "schema": "\(definitions.schema.formTag)", "reports": "\(definitions.reports.count)",
        ])
        try recoverWork(wake: wake)
        // Files stored by an earlier run that stopped before republishing.
        for period in try store.unpublishedPeriods() { markDirty(period) }
        notifier.ready(status: statusLine(waiting: 0))
        while !wake.stopRequested {
            if wake.takeReload() { reload() }
            if wake.takeOverflow() {
                logger.notice("inotify lost events (its queue overflowed); the inbox is scanned in full as always")
            }
            wake.watch(config.paths.inbox)
            var skipped: Set<String> = []
            let entries = InboxScanner.scan(config.paths.inbox, unitFolders: config.intake.unitFolders) { path, why in
                skipped.insert(path)
                // Said once, not at every scan: it stays until someone removes it.
                if !reportedSkips.contains(path) {
                    logger.warning("skipped a file in the inbox; it is left where it is", metadata: ["file.path": "\(path)", "reason": "\(why)"])
                }
            }
            reportedSkips = skipped
            if config.intake.unitFolders {
                for unit in config.province.units {
                    let dir = config.paths.inbox + "/" + unit.code
                    if FileManager.default.fileExists(atPath: dir) { wake.watch(dir) }
                }
            }
            // A few files at a time: claimed, read and checked in parallel, then stored one by
            // one. Memory holds one batch whatever the length of the queue.
            var batch: [ClaimedFile] = []
            for entry in tracker.observe(entries, now: Date().timeIntervalSince1970) {
                wake.check()
                if wake.stopRequested { break }
                guard let claimed = try claim(entry) else { continue }
                batch.append(claimed)
                if batch.count == config.intake.parallelFiles * 2 {
                    handle(batch)
                    batch = []
                    notifier.status(statusLine(waiting: tracker.waiting))
                    // More files of this pass are still to come: only a long burst publishes now.
                    if publishDue(moreComing: true, once: once) { publishDirty() }
                }
            }
            if !batch.isEmpty {
                handle(batch)
                notifier.status(statusLine(waiting: tracker.waiting))
            }
            if !wake.stopRequested, publishDue(moreComing: false, once: once) { publishDirty() }
            keepWatchdogFed()
            if once && entries.isEmpty && dirty.isEmpty { break }
            // Asleep until the next thing due: a waiting file's settle time, the reports' turn,
            // the watchdog, or the periodic rescan (inotify and signals wake it sooner).
            let now = Date()
            var pause = once ? 0.1 : config.intake.scanIntervalSeconds
            if let settle = tracker.secondsToNextLook(now: now.timeIntervalSince1970) { pause = min(pause, max(0.02, settle)) }
            if !dirty.isEmpty {
                let quiet = config.intake.publishDelaySeconds - now.timeIntervalSince(lastChange)
                pause = min(pause, max(0.02, quiet))
            }
            if let beat = notifier.watchdogInterval { pause = min(pause, beat) }
            wake.wait(seconds: pause)
        }
        notifier.stopping()
        if !dirty.isEmpty { publishDirty() }
        logger.info("ruralstat stopped", metadata: [
            "accepted": "\(counts[.accepted, default: 0])", "rejected": "\(counts[.rejected, default: 0])",
            "duplicates": "\(counts[.duplicate, default: 0])",
        ])
    }

    /// What systemd shows after "Status:" in `systemctl status`.
    func statusLine(waiting: Int) -> String {
        "\(counts[.accepted, default: 0]) accepted, \(counts[.rejected, default: 0]) rejected, "
            + "\(counts[.duplicate, default: 0]) duplicates, \(counts[.held, default: 0]) held since start; \(waiting) settling in the inbox"
    }

    /// Reports are rebuilt once a burst is over — nothing more is to come in this pass or
    /// settling in the inbox, and `publish_delay_seconds` has passed since the last change (with
    /// `--once`, no delay) — or when the burst's first change has waited
    /// `publish_max_delay_seconds` (a flood still shows progress).
    private func publishDue(moreComing: Bool, once: Bool) -> Bool {
        guard !dirty.isEmpty else { return false }
        let now = Date()
        if now.timeIntervalSince(firstChange ?? now) >= config.intake.publishMaxDelaySeconds { return true }
        guard !moreComing, tracker.waiting == 0 else { return false }
        return once || now.timeIntervalSince(lastChange) >= config.intake.publishDelaySeconds
    }

    private func markDirty(_ period: Period) {
        if dirty.isEmpty { firstChange = Date() }
        dirty.insert(period)
        lastChange = Date()
    }

    private func keepWatchdogFed() {
        guard let beat = notifier.watchdogInterval, Date().timeIntervalSince(lastWatchdog) >= beat else { return }
        notifier.watchdog()
        lastWatchdog = Date()
    }

    /// SIGHUP: the configuration, schema and report definitions again. A new set that does not
    /// load is logged and the running one kept; nothing in hand is lost either way.
    func reload() {
        guard let reloader else { return }
        notifier.reloading()
        do {
            let (newConfig, newDefinitions) = try reloader()
            guard newConfig.paths.database == config.paths.database else {
                throw ConfigurationError("the state folder cannot change while running (\(config.paths.state) → \(newConfig.paths.state)); restart instead")
            }
            for dir in newConfig.paths.all { try DurableFiles.makeDirectory(dir) }
            config = newConfig
            definitions = newDefinitions
            pipeline = SubmissionPipeline(config: newConfig, definitions: newDefinitions, store: store, logger: logger)
            publisher = ReportPublisher(ledger: PeriodLedger(config: newConfig, definitions: newDefinitions, store: store),
                                        folder: newConfig.paths.reports)
            tracker.settleSeconds = newConfig.intake.settleSeconds
            logger.notice("configuration reloaded", metadata: [
                "units": "\(newConfig.province.units.count)", "schema": "\(newDefinitions.schema.formTag)", "reports": "\(newDefinitions.reports.count)",
            ])
        } catch {
            logger.error("reload failed; the running configuration is kept", metadata: ["error": "\(error)"])
        }
        notifier.ready(status: statusLine(waiting: tracker.waiting))
    }

    /// Moves a settled file from the inbox into `work/` with one rename; nil if it vanished.
    func claim(_ entry: InboxEntry) throws -> ClaimedFile? {
        let folder = config.paths.work + (entry.unitFolder.map { "/" + $0 } ?? "")
        try DurableFiles.makeDirectory(folder)
        let dest = DurableFiles.freeName(in: folder, entry.name)
        do {
            try DurableFiles.move(entry.path, to: dest)
        } catch let e as FileError where e.code == ENOENT {
            return nil
        }
        return ClaimedFile(workPath: dest, originalName: entry.name, unitFolder: entry.unitFolder)
    }

    /// Anything left in `work/` by an earlier run is processed again; the pipeline is idempotent by
    /// hash. A long recovery keeps systemd's start timeout at bay (EXTEND_TIMEOUT_USEC) and stops
    /// between batches on SIGTERM (what is left stays in `work/` for the next start).
    func recoverWork(wake: WakeSources? = nil) throws {
        let fm = FileManager.default
        var leftovers: [ClaimedFile] = []
        for name in (try? fm.contentsOfDirectory(atPath: config.paths.work))?.sorted() ?? [] {
            let path = config.paths.work + "/" + name
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                for inner in (try? fm.contentsOfDirectory(atPath: path))?.sorted() ?? [] where !inner.hasPrefix(".") {
                    leftovers.append(ClaimedFile(workPath: path + "/" + inner, originalName: inner, unitFolder: name, resumed: true))
                }
            } else if !name.hasPrefix(".") {
                leftovers.append(ClaimedFile(workPath: path, originalName: name, unitFolder: nil, resumed: true))
            }
        }
        if !leftovers.isEmpty {
            logger.notice("resuming files left in work/", metadata: ["count": "\(leftovers.count)"])
        }
        var rest = leftovers[...]
        while !rest.isEmpty {
            wake?.check()
            if wake?.stopRequested == true { break }
            notifier.send(["EXTEND_TIMEOUT_USEC=30000000", "STATUS=Resuming files left in work/: \(rest.count) to go"])
            let batch = rest.prefix(config.intake.parallelFiles * 2)
            rest = rest.dropFirst(batch.count)
            handle(Array(batch))
            keepWatchdogFed()
        }
        removeStaleTemporaries()
    }

    /// A publication interrupted by a kill leaves its temporary file behind in `reports/` or
    /// `feedback/`; it is removed at start.
    func removeStaleTemporaries() {
        for root in [config.paths.reports, config.paths.feedback] {
            for path in DurableFiles.removeAbandonedTemporaries(under: root) {
                logger.info("removed an unfinished publication", metadata: ["file.path": "\(path)"])
            }
        }
    }

    /// Reads and checks `files` in parallel (at most `parallel_files` at once), then stores
    /// each in turn: the database has a single writer.
    private func handle(_ files: [ClaimedFile]) {
        let pipeline = self.pipeline
        let prepared = parallelMap(files.count, width: config.intake.parallelFiles) { i in try pipeline.prepare(files[i]) }
        keepWatchdogFed()
        for (file, prepared) in zip(files, prepared) {
            do {
                let committing = Date()
                let ready = try prepared.get()
                let outcome = try pipeline.commit(ready)
                counts[outcome.verdict, default: 0] += 1
                if outcome.verdict == .accepted, let p = outcome.period { markDirty(p) }
                // Its own reading and storing; the wait for the rest of the batch is left out.
                let ms = Int((ready.readSeconds + Date().timeIntervalSince(committing)) * 1000)
                let level: Logger.Level = outcome.verdict == .rejected ? .notice : .info
                logger.log(level: level, "\(outcome.verdict.rawValue) \(file.originalName)", metadata: [
                    "unit": "\(outcome.unitCode ?? "?")", "period": "\(outcome.period?.description ?? "?")",
                    "verdict": "\(outcome.verdict.rawValue)", "errors": "\(outcome.findings.filter { $0.severity == .error }.count)",
                    "duration_ms": "\(ms)", "feedback": "\(outcome.feedbackPath)",
                ])
            } catch {
                // The file stays in work/ and is tried again at the next start; nothing is lost.
                logger.error("could not process a file; it stays in work/", metadata: [
                    "file.path": "\(file.workPath)", "error": "\(error)",
                ])
            }
        }
    }

    private func publishDirty() {
        firstChange = nil
        for period in dirty.sorted() {
            do {
                let paths = try publisher.publish(period)
                logger.info("reports published", metadata: ["period": "\(period)", "files": "\(paths.joined(separator: ", "))"])
                dirty.remove(period)
            } catch {
                logger.error("could not publish reports", metadata: ["period": "\(period)", "error": "\(error)"])
                dirty.remove(period)
            }
        }
    }
}

