// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One daemon per configuration: an exclusive `flock` on `ruralstat.lock` in the state folder,
/// held for the daemon's life (the kernel drops it when the process ends, however it ends).
/// The file holds the holder's PID, so a second daemon can say which one is running.
public final class ServiceLock {
    private let fd: Int32
    public let path: String

    /// Why the lock was not taken.
    public struct Busy: Error, CustomStringConvertible {
        public var path: String
        public var holder: String?
        public var description: String {
            "another ruralstat daemon" + (holder.map { " (PID \($0))" } ?? "")
                + " is already serving this configuration (it holds \(path)); stop it first, or point this one at another state folder"
        }
    }

    /// Takes the lock at once or throws `Busy`; never waits.
    public init(stateFolder: String) throws {
        path = stateFolder + "/ruralstat.lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { throw FileError(operation: "open", path: path, code: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
            close(fd)
            guard code == EWOULDBLOCK else { throw FileError(operation: "flock", path: path, code: code) }
            let pid = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
            throw Busy(path: path, holder: pid.isEmpty ? nil : pid)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(fd) }
}
