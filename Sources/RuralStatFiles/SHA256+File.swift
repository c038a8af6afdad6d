// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SHA256 {
    /// A file's digest as the daemon keys submissions: the file read in 1 MB pieces, at most
    /// `limit` bytes (past the size cap the daemon hashes only the head, and everything that
    /// compares with its records must do the same), with its size and time from before the read.
    public struct FileDigest: Sendable {
        public var sha: String
        /// The bytes read (at most `limit`).
        public var bytesRead: Int64
        /// The size and modification time `fstat` gave before reading.
        public var size: Int64
        public var modified: Double
    }

    /// See `FileDigest`; throws `FileError` when the file cannot be opened or read. Submissions
    /// are never read through a link; a backup's configuration may be one (`followLinks`).
    public static func ofFile(_ path: String, limit: Int64 = .max, followLinks: Bool = false) throws -> FileDigest {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw FileError(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileError(operation: "stat", path: path, code: errno) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: Int64 = 0
        while total < limit {
            let want = Int(min(Int64(buffer.count), limit - total))
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(operation: "read", path: path, code: errno)
            }
            if n == 0 { break }
            total += Int64(n)
            hasher.update(buffer[0..<n])
        }
        return FileDigest(sha: hasher.hexDigest(), bytesRead: total, size: Int64(st.st_size),
                          modified: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
    }

    /// A received file's SHA-256 as the daemon records it: past the size cap (`maxFileBytes`),
    /// of its head only, since the reader refuses such a file without reading it. `check` and
    /// `rebuild` match records with it.
    public static func ofSubmission(_ path: String, maxFileBytes: Int) throws -> FileDigest {
        try ofFile(path, limit: Int64(maxFileBytes) + 1)
    }
}
