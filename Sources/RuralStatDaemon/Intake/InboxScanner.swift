import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file seen in the inbox, with what settling is judged on.
public struct InboxEntry: Hashable, Sendable {
    /// Full path of the file.
    public var path: String
    /// Its name, as the unit gave it.
    public var name: String
    /// The unit folder it was dropped in (`inbox/<unit>/`), if any.
    public var unitFolder: String?
    public var size: Int64
    /// Modification time in seconds since the epoch.
    public var modified: Double
}

/// Lists what in the inbox may be a submission: regular files only (never through a
/// symlink), skipping Office lock and temporary files and hidden files.
public enum InboxScanner {
    /// True for names that are never submissions: `~$x.xlsx`, `.~lock.x.xlsx#`, `*.tmp`,
    /// dot-files, and Excel's extension-less temporary names.
    public static func isIgnored(_ name: String) -> Bool {
        if name.hasPrefix("~$") || name.hasPrefix(".") || name.hasPrefix("~") { return true }
        let lower = name.lowercased()
        if lower.hasSuffix(".tmp") || lower.hasSuffix("#") || lower.hasSuffix(".part") || lower.hasSuffix(".crdownload") { return true }
        // Excel saves through an 8-hex-digit temporary file with no extension.
        if !name.contains("."), name.count == 8, name.allSatisfy(\.isHexDigit) { return true }
        return false
    }

    /// Scans `inbox` (and one level of unit folders when `unitFolders` is set).
    /// `skipped` is told about special files (symlinks, FIFOs, devices) so they can be logged.
    public static func scan(_ inbox: String, unitFolders: Bool, skipped: (String, String) -> Void = { _, _ in }) -> [InboxEntry] {
        var out: [InboxEntry] = []
        func visit(_ dir: String, unit: String?, depth: Int) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for name in names.sorted() where !isIgnored(name) {
                let path = dir + "/" + name
                var st = stat()
                guard lstat(path, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFREG:
                    let modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
                    out.append(InboxEntry(path: path, name: name, unitFolder: unit, size: Int64(st.st_size), modified: modified))
                case S_IFDIR where depth == 0:
                    if unitFolders { visit(path, unit: name, depth: 1) }
                case S_IFDIR:
                    continue
                case S_IFLNK:
                    skipped(path, "symbolic link")
                default:
                    skipped(path, "not a regular file")
                }
            }
        }
        visit(inbox, unit: nil, depth: 0)
        return out
    }
}

/// Decides when a file has finished arriving: its size and modification time must be the
/// same at two looks and older than the settle time. Pure: the caller passes the clock.
public struct SettleTracker: Sendable {
    public var settleSeconds: Double
    private var seen: [String: (size: Int64, modified: Double)] = [:]

    public init(settleSeconds: Double) { self.settleSeconds = settleSeconds }

    /// Records a scan; returns the entries that are ready to be claimed, and forgets files
    /// that have gone.
    public mutating func observe(_ entries: [InboxEntry], now: Double) -> [InboxEntry] {
        var ready: [InboxEntry] = []
        var next: [String: (Int64, Double)] = [:]
        for e in entries {
            if let prior = seen[e.path], prior.size == e.size, prior.modified == e.modified,
               now - e.modified >= settleSeconds {
                ready.append(e)
            } else {
                next[e.path] = (e.size, e.modified)
            }
        }
        seen = next.mapValues { (size: $0.0, modified: $0.1) }
        return ready
    }

    /// Files seen but not yet settled.
    public var waiting: Int { seen.count }

    /// Seconds until the next look could find a waiting file settled (0: at once), nil when
    /// nothing waits. A file that keeps changing is simply looked at again then.
    public func secondsToNextLook(now: Double) -> Double? {
        seen.values.map { max(0, $0.modified + settleSeconds - now) }.min()
    }
}
