// SPDX-License-Identifier: Apache-2.0
public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file-system operation that failed, with the path and the system's reason.
public struct FileError: Error, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(code)))"
    }
}

/// File operations that survive a crash at any instant: a rename is made durable by
/// syncing both folders, and a publication is a temporary file, synced, renamed, and the
/// folder synced. Every result is checked; a failed `fsync` is an error.
public enum DurableFiles {
    /// Creates a folder and its parents (mode 0750 unless given).
    ///
    /// A folder made inside a setgid one (the share's `feedback/` and `reports/`) keeps the
    /// setgid bit it inherits, so what is written in it belongs to the group that reads it
    /// (the submitters, the managers): the mode is set with `chmod` only when `mkdir` under the
    /// umask did not give it, and with the inherited bit (a `chmod` without it, or by the daemon
    /// outside the folder's group, clears it).
    public static func makeDirectory(_ path: String, mode: Int = 0o750) throws {
        var st = stat()
        if stat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else { throw FileError(operation: "mkdir", path: path, code: EEXIST) }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeDirectory(parent, mode: mode) }
        guard mkdir(path, mode_t(mode & 0o777)) == 0 || errno == EEXIST else {
            throw FileError(operation: "mkdir", path: path, code: errno)
        }
        guard stat(path, &st) == 0 else { throw FileError(operation: "stat", path: path, code: errno) }
        let wanted = mode_t(mode) | (st.st_mode & S_ISGID)
        if st.st_mode & 0o7777 != wanted, chmod(path, wanted) != 0 {
            throw FileError(operation: "chmod", path: path, code: errno)
        }
    }

    /// Flushes a folder's entries (the names in it) to disk.
    public static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileError(operation: "fsync", path: path, code: errno) }
    }

    /// Flushes a file's contents to disk.
    public static func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileError(operation: "fsync", path: path, code: errno) }
    }

    /// Renames `from` to `to` (same file system), creating `to`'s folder, then syncs both folders.
    public static func move(_ from: String, to: String) throws {
        try move(raw: Array(from.utf8), to: to)
    }

    /// `move` for a source path given as bytes, as the inbox holds names that are not UTF-8.
    public static func move(raw from: [UInt8], to: String) throws {
        let destinationDir = (to as NSString).deletingLastPathComponent
        try makeDirectory(destinationDir)
        let renamed = (from + [0]).withUnsafeBufferPointer {
            rename(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), to)
        }
        let shown = FileNames.display(from)
        guard renamed == 0 else { throw FileError(operation: "rename", path: "\(shown) → \(to)", code: errno) }
        try syncDirectory(destinationDir)
        let sourceDir = (shown as NSString).deletingLastPathComponent
        if sourceDir != destinationDir {
            let slash = from.lastIndex(of: UInt8(ascii: "/")) ?? 0
            try syncDirectory(FileNames.display(Array(from[..<slash])))
        }
    }

    /// Publishes a file atomically: `produce` writes to a temporary path in the destination
    /// folder, which is synced and renamed over `path`; readers see the old file or the new one.
    public static func publish(_ path: String, _ produce: (String) throws -> Void) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try makeDirectory(dir)
        let temp = dir + "/." + (path as NSString).lastPathComponent + temporaryMark + "\(getpid())"
        do {
            try produce(temp)
            try syncFile(temp)
            guard rename(temp, path) == 0 else { throw FileError(operation: "rename", path: "\(temp) → \(path)", code: errno) }
            try syncDirectory(dir)
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// What `publish` puts between a file's name and the writing process's id.
    public static let temporaryMark = ".tmp-"

    /// Removes, anywhere under `root`, the temporary files of publications whose process is
    /// gone (killed before its rename): nobody will finish them, and the real name was never
    /// replaced. A live process's file (a `ruralstat report` running now) is left alone.
    /// Returns the paths removed.
    @discardableResult
    public static func removeAbandonedTemporaries(under root: String) -> [String] {
        var removed: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard name.hasPrefix("."), let mark = name.range(of: temporaryMark, options: .backwards),
                  let pid = pid_t(name[mark.upperBound...]) else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }   // its writer still runs
            let path = root + "/" + relative
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }

    /// Publishes bytes atomically at `path`.
    public static func publish(_ path: String, data: Data) throws {
        try publish(path) { temp in try write(data, to: temp) }
    }

    /// Writes `data` into a new file at `path` (mode 0640) with plain `write` calls: Foundation's
    /// `createFile` writes through a temporary of its own (`.dat.nosync…`), which a kill at the
    /// wrong moment leaves behind where nobody removes it.
    static func write(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { throw FileError(operation: "create", path: path, code: errno) }
        defer { close(fd) }
        var written = 0
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            while written < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileError(operation: "write", path: path, code: errno)
                }
                written += n
            }
        }
    }

    /// `dir/name`, or `dir/stem-2.ext`, `-3`… when that name is taken: nothing is overwritten.
    public static func freeName(in dir: String, _ name: String) -> String {
        let fm = FileManager.default
        var candidate = dir + "/" + name
        var n = 2
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        while fm.fileExists(atPath: candidate) || isSymlink(candidate) {
            candidate = dir + "/" + stem + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
            n += 1
        }
        return candidate
    }

    public static func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }
}
