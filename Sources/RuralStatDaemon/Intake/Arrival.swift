// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import RuralStatFiles
#if canImport(Glibc)
import Glibc
#endif

/// The one owner of "has this file finished arriving?": a file is taken when it has settled
/// (the same size and time at two looks, older than the settle time), no writer holds it open
/// (the kernel's read lease, or inotify's open-without-close), and it is not waiting after the
/// pipeline put it back (it changed while being read, or looked cut short a moment after it
/// was written). A file put back is looked at again at the time given, or as soon as it changes.
struct Arrival {
    private var tracker: SettleTracker
    /// Files a writer still holds open, with when the daemon first saw them so (logged once).
    private var heldOpen: [[UInt8]: Date] = [:]
    /// Files put back in the inbox as still arriving: not taken again before the time given,
    /// unless their size or time changes (their writer came back).
    private var putBack: [[UInt8]: (size: Int64, modified: Double, until: Date)] = [:]
    /// Workbooks open in an editor (an owner file beside them), with when the daemon first saw
    /// them so (logged once).
    private var openInEditor: [[UInt8]: Date] = [:]
    /// An owner file older than this was left by an editor that crashed (`intake.open_wait_hours`).
    var openWaitSeconds: Double
    /// A writer that holds a file this long without closing it is given up on.
    static let openWriterPatience: Double = 3_600

    init(settleSeconds: Double, openWaitHours: Double = 8) {
        tracker = SettleTracker(settleSeconds: settleSeconds)
        openWaitSeconds = openWaitHours * 3_600
    }

    /// Files seen but not yet settled.
    var waiting: Int { tracker.waiting }

    /// A new settle time (after a reload).
    mutating func setSettleSeconds(_ seconds: Double) { tracker.settleSeconds = seconds }

    /// Records a scan of the inbox and returns the files settled in it; forgets what is gone.
    mutating func settled(_ entries: [InboxEntry], now: Date) -> [InboxEntry] {
        let present = Set(entries.map(\.location))
        putBack = putBack.filter { present.contains($0.key) }
        heldOpen = heldOpen.filter { present.contains($0.key) }
        openInEditor = openInEditor.filter { present.contains($0.key) }
        return tracker.observe(entries, now: now.timeIntervalSince1970)
    }

    /// Whether a settled file may be claimed now: not waiting after being put back, and no
    /// writer holding it (one that held it an hour without a change is given up on).
    mutating func mayClaim(_ entry: InboxEntry, openForWriting: Set<[UInt8]>, now: Date, logger: Logger) -> Bool {
        if let wait = putBack[entry.location] {
            if wait.size == entry.size && wait.modified == entry.modified && wait.until > now { return false }
            putBack[entry.location] = nil
        }
        if waitsOnEditor(entry, now: now) {
            if openInEditor[entry.location] == nil {
                openInEditor[entry.location] = now
                logger.info("a workbook is open in an editor (its owner file is beside it); it is taken once it is closed",
                            metadata: ["file.name": "\(entry.name)", "owner_file": "\(entry.ownerFile?.name ?? "")"])
            }
            return false
        }
        openInEditor[entry.location] = nil
        return !stillOpen(entry, openForWriting: openForWriting, now: now, logger: logger)
    }

    /// Whether the file has an editor's owner file beside it, written less than
    /// `open_wait_hours` ago: the clerk is still working on it, and every save would otherwise
    /// be a new submission.
    func waitsOnEditor(_ entry: InboxEntry, now: Date) -> Bool {
        guard let owner = entry.ownerFile else { return false }
        // The owner file's time is the clerk's PC's clock: how long the daemon has seen it counts too.
        let seen = now.timeIntervalSince(openInEditor[entry.location] ?? now)
        return max(now.timeIntervalSince1970 - owner.modified, seen) < openWaitSeconds
    }

    /// A file the pipeline put back in the inbox (at `path`) is not taken before `until`, unless it changes.
    mutating func wasPutBack(at path: String, until: Date) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        putBack[Array(path.utf8)] = (Int64(st.st_size), Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9, until)
    }

    /// Seconds until a file waiting to settle could have settled; nil when none waits.
    func secondsToSettle(now: Date) -> Double? { tracker.secondsToNextLook(now: now.timeIntervalSince1970) }

    /// The next time a file put back is due (the loop wakes for it).
    var nextPutBack: Date? { putBack.values.map(\.until).min() }

    /// The kernel's answer when it gives one; inotify's open-without-close otherwise (a
    /// truncate by path, for one, modifies without opening, so inotify alone can be wrong).
    private mutating func stillOpen(_ entry: InboxEntry, openForWriting: Set<[UInt8]>, now: Date, logger: Logger) -> Bool {
        let open: Bool
        switch WriterCheck.writers(entry.location) {
        case .writing: open = true
        case .notWriting: open = false
        case .unknown: open = openForWriting.contains(entry.location)
        }
        guard open else {
            heldOpen[entry.location] = nil
            return false
        }
        guard let since = heldOpen[entry.location] else {
            heldOpen[entry.location] = now
            logger.info("a file is still open for writing; it is taken once its writer closes it", metadata: ["file.name": "\(entry.name)"])
            return true
        }
        if now.timeIntervalSince(since) < Self.openWriterPatience { return true }
        logger.warning("a file has been open for writing for an hour without closing; it is taken as it is", metadata: ["file.name": "\(entry.name)"])
        heldOpen[entry.location] = nil
        return false
    }
}
