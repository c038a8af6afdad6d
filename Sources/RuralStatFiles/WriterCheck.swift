// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel whether some process has a file open for writing, by trying to take a read
/// lease on it (`fcntl(F_SETLEASE, F_RDLCK)` fails with EAGAIN exactly then). The kernel grants
/// leases only to the file's owner or a holder of CAP_LEASE; where it refuses, the answer is
/// "not known" and the settle time and inotify's close events decide instead.
public enum WriterCheck {
    /// What the kernel said.
    public enum Answer { case writing, notWriting, unknown }

    /// Whether a writer has the file open now, or `unknown` when the kernel will not say.
    public static func writers(_ location: [UInt8]) -> Answer {
        let fd = (location + [0]).withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        }
        guard fd >= 0 else { return .unknown }
        defer { close(fd) }
        // F_SETLEASE is 1024 (F_LINUX_SPECIFIC_BASE); Glibc does not always export it to Swift.
        let setLease: Int32 = 1024
        if fcntl(fd, setLease, Int32(F_RDLCK)) == 0 {
            _ = fcntl(fd, setLease, Int32(F_UNLCK))
            return .notWriting
        }
        return errno == EAGAIN ? .writing : .unknown
    }
}
