// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatStore
import RuralStatFiles
#if canImport(Glibc)
import Glibc
#endif

/// Putting a database made beside the live one in its place: what `restore` and `rebuild` both
/// do, once, so both leave the same state after a crash at any step.
public enum StoreFiles {
    /// Makes the new store at `temp` one file that stands alone (its write-ahead log folded
    /// in), synced to disk. The store must be closed.
    public static func seal(_ temp: String) throws {
        try SubmissionStore.makeSelfContained(path: temp)
        guard !FileManager.default.fileExists(atPath: temp + "-wal") else {
            throw StoreAdminError("\(temp)-wal was left after closing the new store")
        }
        try DurableFiles.syncFile(temp)
    }

    /// Renames `temp` over `database`, the old store (with its -wal: a -wal left beside the new
    /// file would be read into it) kept as `database + keptSuffix`; its -shm is only an index,
    /// rebuilt on demand. The folder is synced. Returns where the old store is kept, nil when
    /// there was none.
    public static func install(_ temp: String, at database: String, keepingOldAs keptSuffix: String) throws -> String? {
        var kept: String?
        if FileManager.default.fileExists(atPath: database) {
            let aside = database + keptSuffix
            guard rename(database, aside) == 0 else { throw FileError(operation: "rename", path: "\(database) → \(aside)", code: errno) }
            if FileManager.default.fileExists(atPath: database + "-wal") {
                guard rename(database + "-wal", aside + "-wal") == 0 else {
                    throw FileError(operation: "rename", path: "\(database)-wal → \(aside)-wal", code: errno)
                }
            }
            unlink(database + "-shm")
            unlink(database + "-journal")
            kept = aside
        }
        guard rename(temp, database) == 0 else { throw FileError(operation: "rename", path: "\(temp) → \(database)", code: errno) }
        unlink(temp + "-shm")
        try DurableFiles.syncDirectory((database as NSString).deletingLastPathComponent)
        return kept
    }
}
