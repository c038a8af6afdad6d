// SPDX-License-Identifier: Apache-2.0
import Foundation
public import Logging
import RuralStatCore
public import RuralStatStore
import RuralStatFiles
public import RuralStatConfig
import RuralStatPublishing
#if canImport(Glibc)
import Glibc
#endif

/// The daemon: watches the inbox, claims files that have finished arriving into `work/`, runs
/// each through the pipeline, republishes the reports of the periods that changed once a burst
/// is over, and writes what it mails on its own. `run` is the loop; its steps live in
/// `Daemon+Intake` (claim, batch, retry, recover), `Daemon+Publishing`, `Daemon+Status`
/// (folders, degraded state, systemd) and `Daemon+Reload`.
public final class Daemon {
    public internal(set) var config: Configuration
    public internal(set) var definitions: Definitions
    public let store: SubmissionStore
    let logger: Logger
    var pipeline: SubmissionPipeline
    var publisher: ReportPublisher
    /// Whether each file in the inbox has finished arriving.
    var arrival: Arrival
    /// When the periods that changed get their reports again.
    var schedule: PublicationSchedule
    let notifier: SystemdNotifier
    var lastWatchdog = Date.distantPast
    /// Loads the configuration, schema and report definitions again (SIGHUP); nil: no reload.
    public var reloader: (() throws -> (Configuration, Definitions))?
    /// Special files in the inbox (symlinks, FIFOs) already logged.
    var reportedSkips: Set<String> = []
    /// Counts since start, for the log and the status line.
    public internal(set) var counts: [ProcessOutcome.Verdict: Int] = [:]
    /// One daemon per configuration, for as long as this one lives.
    private let lock: ServiceLock
    /// Files whose processing failed after the claim, by path in `work/`: tried again with backoff.
    var retries: [String: Retry] = [:]
    /// What the service cannot do just now (a folder it cannot write), by folder: logged once,
    /// shown in systemd's status line, cleared when it works again.
    var degraded: [String: String] = [:]
    /// Inbox files the daemon could not claim, with when to try again (the log says it once).
    var claimBackoff: [[UInt8]: (attempts: Int, due: Date)] = [:]
    /// `serve --once`: nothing is waited for.
    var runningOnce = false
    /// Whether the unit folders were made for the configuration in force (see `makeUnitFolders`).
    var unitFoldersMade = false
    /// The quarters whose blank forms are in the units' folders (`BlankForms`); false
    /// `formsReplaced` after a reload that changed the form: those there are written again.
    var formsPlacedFor: [Period] = []
    var formsReplaced = true
    /// Whether messages may be kept in the store waiting for the outbox (`flushQueuedMail`).
    var mailMayBeQueued = true
    /// The unit folders made (`makeUnitFolders`), watched by inotify.
    var unitFolders: [String] = []
    /// What the daemon mails on its own (digests, reminders, deadline notes, the admin's
    /// error lines); nil without a `mail:` section.
    var mailer: MailScheduler?

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
        if let problem = config.paths.renameProblems().first { throw ConfigurationError(problem) }
        lock = try ServiceLock(stateFolder: config.paths.state)
        let hadStore = FileManager.default.fileExists(atPath: config.paths.database)
        store = try SubmissionStore(path: config.paths.database)
        if !allowEmptyStore, try store.submissionCount() == 0, let kept = Self.anyFile(under: config.paths.archive) {
            // Figures rebuilt from the next file alone would replace the province's published
            // reports: an admin must say what happened first.
            throw StoreMismatch(message: """
                the database \(config.paths.database) \(hadStore ? "is empty" : "is missing") while the archive \(config.paths.archive) \
                holds files (\(kept)): the store that goes with the archive was lost or moved. Restore it from a backup; \
                to begin a new, empty store on purpose, start once with --allow-empty-store
                """)
        }
        pipeline = SubmissionPipeline(config: config, definitions: definitions, store: store, logger: logger)
        publisher = ReportPublisher(query: PeriodQuery(config: config, definitions: definitions, store: store),
                                    folder: config.paths.reports)
        arrival = Arrival(settleSeconds: config.intake.settleSeconds, openWaitHours: config.intake.openWaitHours)
        schedule = PublicationSchedule(delaySeconds: config.intake.publishDelaySeconds,
                                       maxDelaySeconds: config.intake.publishMaxDelaySeconds)
        mailer = try MailScheduler(config: config, definitions: definitions, store: store, query: publisher.query, logger: logger)
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
        if let unchecked = definitions.schema.outliers?.unchecked, !unchecked.isEmpty {
            logger.warning("the form's outlier checks leave out numbers without saying why (declare them under outliers: exempt: with the reason, or check them)",
                           metadata: ["figures": "\(unchecked.joined(separator: ", "))"])
        }
        if let doubt = try? store.clockDoubt(now: Date()) {
            logger.error("the clock is doubted; dated mail waits until it agrees with the store or an admin confirms it (ruralstat clock --confirm)",
                         metadata: ["reason": "\(doubt)"])
        }
        try recoverWork(wake: wake)
        // Files stored by an earlier run that stopped before republishing.
        for period in try store.unpublishedPeriods() { schedule.changed(period, at: Date()) }
        notifier.ready(status: statusLine())
        while !wake.stopRequested {
            var entries = turn(wake: wake, once: once)
            if once {
                // --once does not wait for a clerk to close a workbook: it stays for the next run.
                let now = Date()
                let waits = entries.map { arrival.waitsOnEditor($0, now: now) }
                let open = zip(entries, waits).filter(\.1).map(\.0)
                entries = zip(entries, waits).filter { !$0.1 }.map(\.0)
                if entries.isEmpty && schedule.isEmpty && !open.isEmpty {
                    logger.notice("workbooks open in an editor stay in the inbox for the next run", metadata: ["count": "\(open.count)"])
                }
            }
            if once && entries.isEmpty && schedule.isEmpty {
                if !retries.isEmpty {
                    // --once does not wait for a folder to become writable again: the file stays
                    // in work/ and the next run finishes it.
                    logger.warning("files could not be finished and stay in work/ for the next run", metadata: ["count": "\(retries.count)"])
                }
                break
            }
            wake.wait(seconds: pause(once: once))
        }
        notifier.stopping()
        if !schedule.isEmpty { publishDirty() }
        logger.info("ruralstat stopped", metadata: [
            "accepted": "\(counts[.accepted, default: 0])", "rejected": "\(counts[.rejected, default: 0])",
            "duplicates": "\(counts[.duplicate, default: 0])",
        ])
    }

    /// One turn of the loop: a reload if asked, the inbox scanned, what has arrived claimed and
    /// processed a batch at a time, the reports published when due, the daemon's own mail.
    /// Returns what the scan found in the inbox.
    private func turn(wake: WakeSources, once: Bool) -> [InboxEntry] {
        if wake.takeReload() { reload() }
        if wake.takeOverflow() {
            logger.notice("inotify lost events (its queue overflowed); the inbox is scanned in full as always")
        }
        ensureInbox()
        wake.watch(config.paths.inbox)
        let entries = scanInbox()
        // Watched once each (a folder watched already costs nothing here).
        for dir in unitFolders { wake.watch(dir) }
        // A few files at a time: claimed, read and checked in parallel, then stored one by
        // one. Memory holds one batch whatever the length of the queue.
        var batch: [ClaimedFile] = dueRetries()
        for entry in arrival.settled(entries, now: Date()) {
            wake.check()
            if wake.stopRequested { break }
            guard arrival.mayClaim(entry, openForWriting: wake.openForWriting, now: Date(), logger: logger),
                  var claimed = claim(entry) else { continue }
            if let owner = entry.ownerFile {
                // Waited out: an editor that crashed left its owner file; the answer says so.
                logger.warning("a workbook's owner file is older than intake.open_wait_hours; it is taken as it is",
                               metadata: ["file.name": "\(entry.name)", "owner_file": "\(owner.name)"])
                claimed.notes.append(SubmissionPipeline.staleOwnerFile(owner, hours: config.intake.openWaitHours))
            }
            batch.append(claimed)
            if batch.count == config.intake.parallelFiles * 2 {
                handle(batch)
                batch = []
                notifier.status(statusLine())
                // More files of this pass are still to come: only a long burst publishes now.
                if publishDue(moreComing: true, once: once) { publishDirty() }
            }
        }
        if !batch.isEmpty {
            handle(batch)
            notifier.status(statusLine())
        }
        if !wake.stopRequested, publishDue(moreComing: false, once: once) { publishDirty() }
        if !once, !wake.stopRequested { placeBlankForms() }
        flushQueuedMail()
        mailer?.pass(busyUnits: busyUnits(entries))
        keepWatchdogFed()
        return entries
    }

    /// The inbox's files, a file skipped (a link, a FIFO) said once, not at every scan: it
    /// stays until someone removes it.
    private func scanInbox() -> [InboxEntry] {
        var skipped: Set<String> = []
        let entries = InboxScanner.scan(config.paths.inbox, unitFolders: config.intake.unitFolders) { path, why in
            skipped.insert(path)
            guard !reportedSkips.contains(path) else { return }
            if why == InboxScanner.folderReason {
                answerFolder(path)
            } else {
                logger.warning("skipped a file in the inbox; it is left where it is", metadata: ["file.path": "\(path)", "reason": "\(why)"])
            }
        }
        reportedSkips = skipped
        let present = Set(entries.map(\.location))
        claimBackoff = claimBackoff.filter { present.contains($0.key) }
        return entries
    }

    /// The units whose file is still in the inbox or work/: not reminded yet. Files of units
    /// unknown (no unit folders) hold every reminder back while they settle (nil).
    private func busyUnits(_ entries: [InboxEntry]) -> Set<String>? {
        var busy: Set<String>? = []
        for unit in entries.map(\.unitFolder) + retries.values.map(\.file.unitFolder) {
            if let unit { busy?.insert(unit.uppercased()) } else { busy = nil }
        }
        return busy
    }

    /// Asleep until the next thing due: a waiting file's settle time, the reports' turn, the
    /// watchdog, a retry, the daemon's own mail, or the periodic rescan (inotify and signals
    /// wake it sooner).
    private func pause(once: Bool) -> Double {
        let now = Date()
        var pause = once ? 0.1 : config.intake.scanIntervalSeconds
        if let settle = arrival.secondsToSettle(now: now) { pause = min(pause, max(0.02, settle)) }
        if let quiet = schedule.secondsUntilQuiet(now: now) { pause = min(pause, max(0.02, quiet)) }
        if let beat = notifier.watchdogInterval { pause = min(pause, beat) }
        if let next = nextRetry() { pause = min(pause, max(0.02, next.timeIntervalSince(now))) }
        if let next = mailer?.nextTime(after: now) { pause = min(pause, max(1, next.timeIntervalSince(now))) }
        return pause
    }
}

/// The store does not go with the archive beside it (lost, moved, or a new one): the daemon
/// will not start on it without the admin's word.
public struct StoreMismatch: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
