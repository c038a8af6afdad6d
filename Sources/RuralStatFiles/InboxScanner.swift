// SPDX-License-Identifier: Apache-2.0
public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file seen in the inbox, with what settling is judged on.
public struct InboxEntry: Hashable, Sendable {
    /// Full path of the file as bytes, exactly as the directory holds it (it may not be UTF-8).
    public var location: [UInt8]
    /// Its name as people read it (invalid UTF-8 shown as U+FFFD).
    public var name: String
    /// The unit folder it was dropped in (`inbox/<unit>/`), if any.
    public var unitFolder: String?
    public var size: Int64
    /// Modification time in seconds since the epoch.
    public var modified: Double
    /// An editor's owner file beside it (`~$name.xlsx`, `.~lock.name.xlsx#`): the workbook is
    /// open in Excel or LibreOffice, and may be saved again.
    public var ownerFile: OwnerFile?

    /// The path as people read it, for the log.
    public var path: String { FileNames.display(location) }

    public init(location: [UInt8], name: String, unitFolder: String?, size: Int64, modified: Double) {
        self.location = location
        self.name = name
        self.unitFolder = unitFolder
        self.size = size
        self.modified = modified
    }

    public init(path: String, name: String, unitFolder: String?, size: Int64, modified: Double) {
        self.init(location: Array(path.utf8), name: name, unitFolder: unitFolder, size: size, modified: modified)
    }
}

/// The file an editor keeps beside a workbook while it is open, and when it was written.
public struct OwnerFile: Hashable, Sendable {
    public var name: String
    public var modified: Double

    public init(name: String, modified: Double) {
        self.name = name
        self.modified = modified
    }

    /// The owner file of `name` among `owners` (owner files of one folder), if any. LibreOffice
    /// writes `.~lock.<name>#`; Excel writes `~$` followed by the name, its first one or two
    /// characters dropped for longer names. Compared without case, as Windows names are.
    public static func of(_ name: String, among owners: [OwnerFile]) -> OwnerFile? {
        let key = name.lowercased()
        return owners.first { owner in
            let o = owner.name.lowercased()
            if o.hasPrefix(".~lock."), o.hasSuffix("#") { return o.dropFirst(7).dropLast() == key }
            guard o.hasPrefix("~$") else { return false }
            let rest = o.dropFirst(2)
            return !rest.isEmpty && key.hasSuffix(rest) && (0...2).contains(key.count - rest.count)
        }
    }

    /// Whether `name` is an editor's owner file.
    static func isOwnerName(_ name: String) -> Bool {
        name.hasPrefix("~$") || (name.hasPrefix(".~lock.") && name.hasSuffix("#"))
    }
}

/// Lists what in the inbox may be a submission: regular files only (never through a
/// symlink), skipping Office lock and temporary files and hidden files. Names are read as
/// bytes, so a name in a legacy encoding is a file like any other.
public enum InboxScanner {
    /// Spreadsheet extensions: a dot-file ending in one is a unit's file (`..xlsx`), not junk.
    private static let spreadsheetExtensions: Set<String> = ["xlsx", "xlsm", "xls", "ods", "csv"]

    /// True for names that are never submissions: `~$x.xlsx`, `.~lock.x.xlsx#`, macOS's `._x.xlsx`,
    /// `*.tmp`, partial downloads, Excel's extension-less temporary names, and hidden files
    /// other than spreadsheets.
    public static func isIgnored(_ name: String) -> Bool {
        if name.hasPrefix("~") || name.hasPrefix(".~") || name.hasPrefix("._") { return true }
        let lower = name.lowercased()
        if lower.hasSuffix(".tmp") || lower.hasSuffix("#") || lower.hasSuffix(".part") || lower.hasSuffix(".crdownload")
            || lower.hasSuffix(".filepart") { return true }
        if name.hasPrefix(".") {
            let rest = String(lower.drop { $0 == "." })
            return !spreadsheetExtensions.contains(rest) && !spreadsheetExtensions.contains((rest as NSString).pathExtension)
        }
        // Excel saves through an 8-hex-digit temporary file with no extension.
        if !name.contains("."), name.count == 8, name.allSatisfy(\.isHexDigit) { return true }
        return false
    }

    /// What `scan` tells `skipped` for a folder inside a unit's folder.
    public static let folderReason = "a folder"

    /// Scans `inbox` (and one level of unit folders when `unitFolders` is set).
    /// `skipped` is told about special files (symlinks, FIFOs, devices) so they can be logged.
    public static func scan(_ inbox: String, unitFolders: Bool, skipped: (String, String) -> Void = { _, _ in }) -> [InboxEntry] {
        var out: [InboxEntry] = []
        func visit(_ dir: [UInt8], unit: String?, depth: Int) {
            let all = names(in: dir)
            let owners = all.map(FileNames.display).filter(OwnerFile.isOwnerName).compactMap { name -> OwnerFile? in
                var st = stat()
                guard lstat(String(decoding: dir, as: UTF8.self) + "/" + name, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
                return OwnerFile(name: name, modified: Double(st.st_mtim.tv_sec))
            }
            for raw in all {
                let name = FileNames.display(raw)
                guard !isIgnored(name) else { continue }
                let location = dir + [UInt8(ascii: "/")] + raw
                var st = stat()
                guard (location + [0]).withUnsafeBufferPointer({ lstat(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), &st) }) == 0
                else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFREG:
                    let modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
                    var entry = InboxEntry(location: location, name: name, unitFolder: unit, size: Int64(st.st_size), modified: modified)
                    if !owners.isEmpty { entry.ownerFile = OwnerFile.of(name, among: owners) }
                    out.append(entry)
                case S_IFDIR where depth == 0:
                    // A unit folder is named by its code; a folder whose name is not text is no unit's.
                    if unitFolders, String(validatingCString: raw.map { CChar(bitPattern: $0) } + [0]) != nil {
                        visit(location, unit: name, depth: 1)
                    }
                case S_IFDIR:
                    // A folder inside a unit's folder: its files are never read, and the unit is told.
                    skipped(FileNames.display(location), Self.folderReason)
                case S_IFLNK:
                    skipped(FileNames.display(location), "symbolic link")
                default:
                    skipped(FileNames.display(location), "not a regular file")
                }
            }
        }
        visit(Array(inbox.utf8), unit: nil, depth: 0)
        return out
    }

    /// The names in a folder as the kernel gives them (bytes), sorted; empty if it cannot be read.
    static func names(in dir: [UInt8]) -> [[UInt8]] {
        let handle = (dir + [0]).withUnsafeBufferPointer { opendir(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
        guard let handle else { return [] }
        defer { closedir(handle) }
        var out: [[UInt8]] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> [UInt8] in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            out.append(name)
        }
        return out.sorted { $0.lexicographicallyPrecedes($1) }
    }
}

extension InboxScanner {
    /// A file that has been in the inbox longer than the settle time, and why it may still be
    /// there, as `status` shows it to the admin.
    public struct Waiting: Sendable {
        public var entry: InboxEntry
        public var reason: String
    }

    /// The inbox's files older than `settleSeconds` (by their time, or at once when their time
    /// is ahead of the clock), each with the likeliest reason it is not taken yet.
    public static func waiting(_ inbox: String, unitFolders: Bool, settleSeconds: Double, now: Date = Date()) -> [Waiting] {
        let clock = now.timeIntervalSince1970
        return scan(inbox, unitFolders: unitFolders).compactMap { entry in
            let ahead = entry.modified - clock
            guard ahead > 60 || clock - entry.modified > settleSeconds else { return nil }
            let reason: String
            if let owner = entry.ownerFile {
                reason = "open in an editor (its owner file \(owner.name) is beside it): taken once it is closed, or after intake.open_wait_hours"
            } else if WriterCheck.writers(entry.location) == .writing {
                reason = "still open for writing (an upload in progress, or a client that has not closed it)"
            } else if ahead > 60 {
                reason = "dated \(Int(ahead / 3_600)) h \(Int(ahead.truncatingRemainder(dividingBy: 3_600) / 60)) min ahead of this clock (the sender's PC clock): the daemon settles it on its own clock"
            } else if unitFolders && entry.unitFolder == nil {
                reason = "at the inbox root, which is no unit's: the daemon refuses it and answers the admin when it runs"
            } else {
                reason = "not taken yet: is the daemon running? (systemctl status ruralstat, journalctl -u ruralstat)"
            }
            return Waiting(entry: entry, reason: reason)
        }
    }
}
