public import Foundation
public import Logging
public import RuralStatCore
public import RuralStatStore
#if canImport(Glibc)
import Glibc
public import RuralStatConfig
public import RuralStatFiles
public import RuralStatMail
public import RuralStatPublishing
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
    /// One daemon per configuration, for as long as this one lives.
    private let lock: ServiceLock
    /// Files whose processing failed after the claim, by path in `work/`: tried again with backoff.
    private var retries: [String: Retry] = [:]
    /// What the service cannot do just now (a folder it cannot write), by folder: logged once,
    /// shown in systemd's status line, cleared when it works again.
    private var degraded: [String: String] = [:]
    /// Inbox files the daemon could not claim, with when to try again (the log says it once).
    private var claimBackoff: [[UInt8]: (attempts: Int, due: Date)] = [:]
    /// When a publication that failed is tried again.
    private var publishRetryAt: Date?
    /// `serve --once`: nothing is waited for.
    private var runningOnce = false
    /// Whether the unit folders were made for the configuration in force (see `makeUnitFolders`).
    private var unitFoldersMade = false
    /// The unit folders made (`makeUnitFolders`), watched by inotify.
    private var unitFolders: [String] = []
    /// What the daemon mails on its own (digests, reminders, deadline notes, the admin's
    /// error lines); nil without a `mail:` section.
    private var mailer: MailScheduler?

    /// Files a writer still holds open, with when the daemon first saw them so (logged once).
    private var heldOpen: [[UInt8]: Date] = [:]
    /// Files put back in the inbox as still arriving: not taken again before the time given,
    /// unless their size or time changes (their writer came back).
    private var deferred: [[UInt8]: (size: Int64, modified: Double, until: Date)] = [:]

    /// A file waiting to be tried again.
    struct Retry {
        var file: ClaimedFile
        var attempts: Int
        var due: Date
    }

    /// Takes the configuration's lock (a second daemon stops here, naming the first), checks
    /// that the store is the one the archive belongs to, opens it and creates the runtime folders.
    /// `allowEmptyStore` starts a new, empty store beside an archive that holds files.
    public init(config: Configuration, definitions: Definitions, logger: Logger,
                notifier: SystemdNotifier = SystemdNotifier(), allowEmptyStore: Bool = false) throws {
        self.config = config
        self.definitions = definitions
        self.logger = logger
        self.notifier = notifier
        for dir in config.paths.all { try DurableFiles.makeDirectory(dir) }
        lock = try ServiceLock(stateFolder: config.paths.state)
        let hadStore = FileManager.default.fileExists(atPath: config.paths.database)
        store = try SubmissionStore(path: config.paths.database)
        if !allowEmptyStore, try store.submissionCount() == 0, let kept = Self.anyFile(under: config.paths.archive) {
            // Figures rebuilt from the next file alone would replace the province's published
            // reports: an admin must say what happened first.
            throw ConfigurationError("""
                the database \(config.paths.database) \(hadStore ? "is empty" : "is missing") while the archive \(config.paths.archive) \
                holds files (\(kept)): the store that goes with the archive was lost or moved. Restore it from a backup; \
                to begin a new, empty store on purpose, start once with --allow-empty-store
                """)
        }
        pipeline = SubmissionPipeline(config: config, definitions: definitions, store: store, logger: logger)
        publisher = ReportPublisher(ledger: PeriodLedger(config: config, definitions: definitions, store: store),
                                    folder: config.paths.reports)
        tracker = SettleTracker(settleSeconds: config.intake.settleSeconds)
        mailer = try MailScheduler(config: config, definitions: definitions, store: store, publisher: publisher, logger: logger)
    }

    /// The first regular file found under `root`, or nil when there is none.
    static func anyFile(under root: String) -> String? {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return nil }
        while let relative = walker.nextObject() as? String {
            var st = stat()
            if lstat(root + "/" + relative, &st) == 0, st.st_mode & S_IFMT == S_IFREG { return relative }
        }
        return nil
    }

    /// Runs until SIGTERM or SIGINT, or, with `once`, until the inbox is empty and reports are published.
    public func run(once: Bool) throws {
        runningOnce = once
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
            ensureInbox()
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
            // What is no longer in the inbox needs no more waiting for.
            let present = Set(entries.map(\.location))
            deferred = deferred.filter { present.contains($0.key) }
            heldOpen = heldOpen.filter { present.contains($0.key) }
            claimBackoff = claimBackoff.filter { present.contains($0.key) }
            // Watched once each (a folder watched already costs nothing here).
            for dir in unitFolders { wake.watch(dir) }
            // A few files at a time: claimed, read and checked in parallel, then stored one by
            // one. Memory holds one batch whatever the length of the queue.
            var batch: [ClaimedFile] = dueRetries()
            for entry in tracker.observe(entries, now: Date().timeIntervalSince1970) {
                wake.check()
                if wake.stopRequested { break }
                if let wait = deferred[entry.location] {
                    if wait.size == entry.size && wait.modified == entry.modified && wait.until > Date() { continue }
                    deferred[entry.location] = nil
                }
                guard !stillOpen(entry, wake: wake), let claimed = claim(entry) else { continue }
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
            if let mailer {
                // A unit whose file is still in the inbox or work/ is not reminded yet; files of
                // units unknown (no unit folders) hold the reminders back while they settle.
                var busy: Set<String>? = []
                for unit in entries.map(\.unitFolder) + retries.values.map(\.file.unitFolder) {
                    if let unit { busy?.insert(unit.uppercased()) } else { busy = nil }
                }
                mailer.pass(busyUnits: busy)
            }
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
            if let next = nextRetry() { pause = min(pause, max(0.02, next.timeIntervalSince(now))) }
            if let next = mailer?.nextTime(after: now) { pause = min(pause, max(1, next.timeIntervalSince(now))) }
            if once && !retries.isEmpty && entries.isEmpty && dirty.isEmpty {
                // --once does not wait for a folder to become writable again: the file stays in
                // work/ and the next run finishes it.
                logger.warning("files could not be finished and stay in work/ for the next run", metadata: ["count": "\(retries.count)"])
                break
            }
            wake.wait(seconds: pause)
        }
        notifier.stopping()
        if !dirty.isEmpty { publishDirty() }
        logger.info("ruralstat stopped", metadata: [
            "accepted": "\(counts[.accepted, default: 0])", "rejected": "\(counts[.rejected, default: 0])",
            "duplicates": "\(counts[.duplicate, default: 0])",
        ])
    }

    /// What systemd shows after "Status:" in `systemctl status`: the counts, and first what is wrong.
    func statusLine(waiting: Int) -> String {
        var problems: [String] = degraded.keys.sorted().map { "cannot write \($0): \(degraded[$0]!)" }
        if !retries.isEmpty { problems.append("\(retries.count) file(s) in work/ waiting to be tried again") }
        return (problems.isEmpty ? "" : "DEGRADED: " + problems.joined(separator: "; ") + ". ")
            + "\(counts[.accepted, default: 0]) accepted, \(counts[.rejected, default: 0]) rejected, "
            + "\(counts[.duplicate, default: 0]) duplicates, \(counts[.held, default: 0]) held since start; \(waiting) settling in the inbox"
    }

    /// The inbox removed while running (an admin's mistake, a share remounted) is said and made
    /// again; with unit folders, each configured unit's folder is made too (group-writable,
    /// inheriting the inbox's group), since the root is no place to drop files.
    private func ensureInbox() {
        defer { makeUnitFolders() }
        var st = stat()
        if lstat(config.paths.inbox, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR { return }
        unitFoldersMade = false
        do {
            try DurableFiles.makeDirectory(config.paths.inbox, mode: 0o2770)
            logger.error("the inbox folder was missing; it has been created again (check the share's permissions)",
                         metadata: ["folder": "\(config.paths.inbox)"])
            degraded[config.paths.inbox] = nil
        } catch {
            note(folder: config.paths.inbox, error)
        }
    }

    /// With unit folders: each unit that still reports gets its folder, once at start, after a
    /// reload and when the inbox was made again (not at every scan: a commune province has 100+).
    /// A unit whose last quarter was the one before keeps its folder: its file for it is due
    /// after that quarter ends.
    private func makeUnitFolders() {
        guard !unitFoldersMade else { return }
        unitFoldersMade = true
        unitFolders = []
        guard config.intake.unitFolders else { return }
        let last = Period.containing(VietnamTime.civil(Date())).previous
        for unit in config.province.units where unit.until.map({ $0 >= last }) ?? true {
            let dir = config.paths.inbox + "/" + unit.code
            if !FileManager.default.fileExists(atPath: dir) { try? DurableFiles.makeDirectory(dir, mode: 0o2770) }
            unitFolders.append(dir)
        }
    }

    /// Records that a folder cannot be written (logged the first time only) and shows it in the status line.
    private func note(folder: String, _ error: any Error) {
        let reason = (error as? FileError).map { String(cString: strerror($0.code)) } ?? "\(error)"
        if degraded[folder] != reason {
            logger.error("a folder cannot be written; files wait and are tried again", metadata: ["folder": "\(folder)", "error": "\(error)"])
        }
        degraded[folder] = reason
        notifier.status(statusLine(waiting: tracker.waiting))
    }

    /// A file a writer still holds open (an upload that paused) is not taken. A writer that
    /// holds it for an hour without a change is given up on, and the file is taken as it is.
    private func stillOpen(_ entry: InboxEntry, wake: WakeSources) -> Bool {
        // The kernel's answer when it gives one; inotify's open-without-close otherwise (a
        // truncate by path, for one, modifies without opening, so inotify alone can be wrong).
        let open: Bool
        switch WriterCheck.writers(entry.location) {
        case .writing: open = true
        case .notWriting: open = false
        case .unknown: open = wake.openForWriting.contains(entry.location)
        }
        guard open else {
            heldOpen[entry.location] = nil
            return false
        }
        let now = Date()
        guard let since = heldOpen[entry.location] else {
            heldOpen[entry.location] = now
            logger.info("a file is still open for writing; it is taken once its writer closes it", metadata: ["file.name": "\(entry.name)"])
            return true
        }
        if now.timeIntervalSince(since) < 3_600 { return true }
        logger.warning("a file has been open for writing for an hour without closing; it is taken as it is", metadata: ["file.name": "\(entry.name)"])
        heldOpen[entry.location] = nil
        return false
    }

    /// The retries that are due now, taken off the list (they are put back if they fail again).
    private func dueRetries() -> [ClaimedFile] {
        let now = Date()
        let due = retries.values.filter { $0.due <= now }.sorted { $0.due < $1.due }.prefix(config.intake.parallelFiles * 2)
        return due.map(\.file)
    }

    private func nextRetry() -> Date? {
        [retries.values.map(\.due).min(), publishRetryAt, claimBackoff.values.map(\.due).min(),
         deferred.values.map(\.until).min()].compactMap { $0 }.min()
    }

    /// After `attempts` failures: 1×, 2×, 4×… `retry_seconds`, at most 15 minutes.
    private func backoff(_ attempts: Int) -> Double {
        min(900, config.intake.retrySeconds * pow(2, Double(min(attempts, 16) - 1)))
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
            // A unit taken out of the list would take its figures out of every report without
            // a word: the admin says so by giving it an `until` quarter instead.
            let dropped = try store.periodsWithData().filter { code, _ in newConfig.province.unit(code) == nil }
            if !dropped.isEmpty {
                let list = dropped.keys.sorted().map { code in
                    let periods = dropped[code]!
                    return "\(code) (\(periods.count) period(s) of figures, \(periods.first!)…\(periods.last!))"
                }.joined(separator: ", ")
                throw ConfigurationError("the new configuration leaves out unit(s) with accepted figures, which would drop them from every report: \(list); keep them listed, with `until: <last quarter>` if they no longer report")
            }
            for dir in newConfig.paths.all { try DurableFiles.makeDirectory(dir) }
            let newPublisher = ReportPublisher(ledger: PeriodLedger(config: newConfig, definitions: newDefinitions, store: store),
                                               folder: newConfig.paths.reports)
            let newMailer = try MailScheduler(config: newConfig, definitions: newDefinitions, store: store, publisher: newPublisher, logger: logger)
            config = newConfig
            definitions = newDefinitions
            pipeline = SubmissionPipeline(config: newConfig, definitions: newDefinitions, store: store, logger: logger)
            publisher = newPublisher
            mailer = newMailer
            tracker.settleSeconds = newConfig.intake.settleSeconds
            unitFoldersMade = false
            logger.notice("configuration reloaded", metadata: [
                "units": "\(newConfig.province.units.count)", "schema": "\(newDefinitions.schema.formTag)", "reports": "\(newDefinitions.reports.count)",
            ])
        } catch {
            logger.error("reload failed; the running configuration is kept", metadata: ["error": "\(error)"])
        }
        notifier.ready(status: statusLine(waiting: tracker.waiting))
    }

    /// Moves a settled file from the inbox into `work/` with one rename, under a name that fits
    /// the file system whatever the unit called it; nil if it vanished, or if `work/` cannot be
    /// written (the file then waits in the inbox, and the service says it is degraded).
    func claim(_ entry: InboxEntry) -> ClaimedFile? {
        if let wait = claimBackoff[entry.location], wait.due > Date() { return nil }
        let folder = config.paths.work + (entry.unitFolder.map { "/" + $0 } ?? "")
        do {
            try DurableFiles.makeDirectory(folder)
            let dest = DurableFiles.freeName(in: folder, FileNames.fit(entry.name))
            try DurableFiles.move(raw: entry.location, to: dest)
            claimBackoff[entry.location] = nil
            if degraded.removeValue(forKey: config.paths.work) != nil {
                logger.notice("the folder can be written again", metadata: ["folder": "\(config.paths.work)"])
            }
            return ClaimedFile(workPath: dest, originalName: entry.name, unitFolder: entry.unitFolder,
                               claimedSize: entry.size, claimedModified: entry.modified)
        } catch let e as FileError where e.code == ENOENT {
            return nil
        } catch {
            let attempts = (claimBackoff[entry.location]?.attempts ?? 0) + 1
            claimBackoff[entry.location] = (attempts, Date().addingTimeInterval(backoff(attempts)))
            note(folder: config.paths.work, error)
            return nil
        }
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
                if retries.removeValue(forKey: file.workPath) != nil {
                    logger.notice("finished a file that had failed before", metadata: ["file.name": "\(file.originalName)"])
                }
                for folder in degraded.keys where folder != config.paths.work && folder != config.paths.inbox {
                    degraded[folder] = nil
                }
                if outcome.verdict == .arriving {
                    var st = stat()
                    if let until = outcome.notBefore, lstat(outcome.storedPath, &st) == 0 {
                        deferred[Array(outcome.storedPath.utf8)] = (Int64(st.st_size),
                                                                   Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9, until)
                    }
                    continue
                }
                counts[outcome.verdict, default: 0] += 1
                if outcome.verdict == .accepted, let p = outcome.period { markDirty(p) }
                // The unit's answer by mail too, once its verdict is committed (sent by `mail send`).
                if let mail = config.mail, let message = UnitAnswerMail.message(for: outcome, fileName: file.originalName,
                                                                                 province: config.province, settings: mail, at: Date()) {
                    do {
                        try Outbox(folder: config.paths.outbox).write(message)
                    } catch {
                        logger.error("could not put a message in the outbox", metadata: ["file.name": "\(file.originalName)", "error": "\(error)"])
                    }
                }
                // Its own reading and storing; the wait for the rest of the batch is left out.
                let ms = Int((ready.readSeconds + Date().timeIntervalSince(committing)) * 1000)
                let level: Logger.Level = outcome.verdict == .rejected ? .notice : .info
                logger.log(level: level, "\(outcome.verdict.rawValue) \(file.originalName)", metadata: [
                    "unit": "\(outcome.unitCode ?? "?")", "period": "\(outcome.period?.description ?? "?")",
                    "verdict": "\(outcome.verdict.rawValue)", "errors": "\(outcome.findings.filter { $0.severity == .error }.count)",
                    "duration_ms": "\(ms)", "feedback": "\(outcome.feedbackPath)",
                ])
            } catch {
                // The file stays in work/ and is tried again while running, later and later;
                // what the store already holds of it is finished, never recorded twice.
                let attempts = (retries[file.workPath]?.attempts ?? 0) + 1
                let wait = backoff(attempts)
                var again = file
                again.resumed = true
                retries[file.workPath] = Retry(file: again, attempts: attempts, due: Date().addingTimeInterval(wait))
                if let e = error as? FileError {
                    degraded[(e.path as NSString).deletingLastPathComponent] = String(cString: strerror(e.code))
                }
                logger.error("could not finish a file; it stays in work/ and is tried again", metadata: [
                    "file.name": "\(file.originalName)", "file.path": "\(file.workPath)", "error": "\(error)",
                    "attempt": "\(attempts)", "retry_in_s": "\(Int(wait))",
                ])
                // Figures already stored count in the reports even while the answer waits.
                if let sha = try? prepared.get().sha256, !sha.isEmpty,
                   let record = try? store.acceptedSubmission(sha256: sha), let p = record.period {
                    markDirty(p)
                }
                notifier.status(statusLine(waiting: tracker.waiting))
            }
        }
        // A batch of large files leaves the heap grown; give the pages back to the system so
        // the daemon's resident size returns to its idle level between bursts.
        Memory.returnFreePages()
    }

    private func publishDirty() {
        if let at = publishRetryAt, at > Date() { return }
        firstChange = nil
        publishRetryAt = nil
        for period in dirty.sorted() {
            do {
                let paths = try publisher.publish(period)
                logger.info("reports published", metadata: ["period": "\(period)", "files": "\(paths.joined(separator: ", "))"])
                mailer?.owe(period)
                dirty.remove(period)
                degraded[config.paths.reports] = nil
            } catch {
                // Kept dirty and tried again a minute later: a reports folder that comes back
                // gets its reports without a new file or a restart.
                logger.error("could not publish reports; tried again in a minute", metadata: ["period": "\(period)", "error": "\(error)"])
                publishRetryAt = Date().addingTimeInterval(60)
                // A single pass does not wait: the store says the period is behind, and the next start publishes it.
                if runningOnce { dirty.remove(period) }
                if let e = error as? FileError { degraded[config.paths.reports] = String(cString: strerror(e.code)) }
            }
        }
    }
}

