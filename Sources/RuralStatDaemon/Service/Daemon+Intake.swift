// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import RuralStatFiles
import RuralStatMail
import RuralStatConfig
import RuralStatCore
import RuralStatStore
#if canImport(Glibc)
import Glibc
#endif

extension Daemon {
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

    /// Messages kept in the database because the outbox could not take them: written now if
    /// it can, each forgotten once its `.eml` is there. The store is asked at the first turn and
    /// after a message was kept, not at every turn.
    func flushQueuedMail() {
        guard mailMayBeQueued else { return }
        guard let queued = try? store.queuedMail(), !queued.isEmpty else {
            mailMayBeQueued = false
            return
        }
        var written = 0
        for item in queued {
            do {
                try DurableFiles.publish(item.path, data: item.message)
                try store.forgetQueuedMail(id: item.id)
                written += 1
            } catch {
                break   // the outbox still cannot be written: all wait for the next turn
            }
        }
        if written > 0 {
            logger.notice("messages kept while the outbox could not be written are in it now", metadata: ["count": "\(written)"])
        }
    }

    /// A folder dropped into a unit's folder: the files in it are never read (a unit drops its
    /// workbook itself), so the unit is answered at once, like any file that is not a
    /// submission, and the folder is left where it is, untouched, for the clerk to empty. Said
    /// once while it stays (once more after a restart).
    func answerFolder(_ path: String) {
        let name = (path as NSString).lastPathComponent
        let unit = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        let finding = Finding(.error, rule: "intake.folder", sheet: nil, cell: nil, value: name, message: LocalizedText(
            vi: "\"\(name)\" là một thư mục, không phải tệp báo cáo: các tệp trong thư mục con không được đọc. Hãy đặt chính tệp báo cáo (.xlsx) vào thư mục \(unit), rồi xóa thư mục \"\(name)\".",
            en: "\"\(name)\" is a folder, not a report: files inside a sub-folder are not read. Put the report file (.xlsx) itself in the folder \(unit), then delete the folder \"\(name)\"."))
        let file = ClaimedFile(workPath: path, originalName: name, unitFolder: unit)
        do {
            let answer = try pipeline.writeFeedback(file, unit: unit, period: nil, sha: "", at: Date(), verdict: .rejected, findings: [finding])
            logger.notice("a folder in a unit's folder was answered; it is left where it is",
                          metadata: ["file.path": "\(path)", "feedback": "\(answer.path)", "unit": "\(unit)"])
        } catch {
            logger.error("could not answer a folder in a unit's folder", metadata: ["file.path": "\(path)", "error": "\(error)"])
        }
    }

    /// Anything left in `work/` by an earlier run is processed again; the pipeline is idempotent by
    /// hash. A long recovery keeps systemd's start timeout at bay (EXTEND_TIMEOUT_USEC) and stops
    /// between batches on SIGTERM (what is left stays in `work/` for the next start).
    func recoverWork(wake: WakeSources? = nil) throws {
        let leftovers = filesLeftInWork()
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

    /// The files in `work/` (at its root and in its unit folders), in name order.
    private func filesLeftInWork() -> [ClaimedFile] {
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
        return leftovers
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
    func handle(_ files: [ClaimedFile]) {
        let pipeline = self.pipeline
        let prepared = parallelMap(files.count, width: config.intake.parallelFiles) { i in try pipeline.prepare(files[i]) }
        keepWatchdogFed()
        for (file, prepared) in zip(files, prepared) {
            do {
                try commit(file, prepared)
            } catch {
                failed(file, prepared, error)
            }
        }
        // A batch of large files leaves the heap grown; give the pages back to the system so
        // the daemon's resident size returns to its idle level between bursts.
        Memory.returnFreePages()
    }

    /// Stores one prepared file's verdict, answers the unit by mail too, and logs it.
    private func commit(_ file: ClaimedFile, _ prepared: Result<PreparedFile, any Error>) throws {
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
            if let until = outcome.notBefore { arrival.wasPutBack(at: outcome.storedPath, until: until) }
            return
        }
        counts[outcome.verdict, default: 0] += 1
        if outcome.verdict == .accepted, let p = outcome.period { schedule.changed(p, at: Date()) }
        // The unit's answer by mail too, once its verdict is committed (sent by `mail send`).
        if let mail = config.mail, let message = UnitAnswerMail.message(for: outcome, fileName: file.originalName,
                                                                         province: config.province, settings: mail, at: Date()) {
            let outbox = Outbox(folder: config.paths.outbox)
            do {
                try outbox.write(message)
            } catch {
                // Kept whole in the database, and written to the outbox once it can be: mending
                // the outbox (and a restart, if it comes to that) is enough for the answer to go.
                do {
                    try store.queueMail(path: outbox.path(of: message), message: message.rendered(), at: Date())
                    mailMayBeQueued = true
                    logger.error("could not put a message in the outbox; it is kept in the database until it can be",
                                 metadata: ["file.name": "\(file.originalName)", "error": "\(error)"])
                } catch let kept {
                    logger.error("could not put a message in the outbox, nor keep it", metadata: ["file.name": "\(file.originalName)",
                                                                                                "error": "\(error)", "kept": "\(kept)"])
                }
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
    }

    /// The file stays in work/ and is tried again while running, later and later; what the
    /// store already holds of it is finished, never recorded twice.
    private func failed(_ file: ClaimedFile, _ prepared: Result<PreparedFile, any Error>, _ error: any Error) {
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
            schedule.changed(p, at: Date())
        }
        notifier.status(statusLine())
    }

    /// The retries that are due now, taken off the list (they are put back if they fail again).
    func dueRetries() -> [ClaimedFile] {
        let now = Date()
        let due = retries.values.filter { $0.due <= now }.sorted { $0.due < $1.due }.prefix(config.intake.parallelFiles * 2)
        return due.map(\.file)
    }

    /// The next moment something waits for: a retry, a failed publication, a claim, a file put back.
    func nextRetry() -> Date? {
        [retries.values.map(\.due).min(), schedule.retryAt, claimBackoff.values.map(\.due).min(),
         arrival.nextPutBack].compactMap { $0 }.min()
    }

    /// After `attempts` failures: 1×, 2×, 4×… `retry_seconds`, at most 15 minutes.
    func backoff(_ attempts: Int) -> Double {
        min(900, config.intake.retrySeconds * pow(2, Double(min(attempts, 16) - 1)))
    }
}
