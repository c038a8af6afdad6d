#if canImport(Glibc)
import Glibc
#endif

/// The write end of the pipe the signal handler writes to; set once before handlers are installed.
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1

/// What can wake the daemon before its next timed scan: a stop signal, a reload signal, or
/// inotify telling that something changed in the inbox. inotify is only a hint (its queue
/// can overflow, and it sees nothing of remote writes); the scan is the truth.
final class WakeSources {
    private var pipeFDs: [Int32] = [-1, -1]
    private var inotifyFD: Int32 = -1
    private var watched: Set<String> = []
    private(set) var stopRequested = false
    /// SIGHUP arrived since the last `takeReload()`.
    private var reloadRequested = false
    /// The kernel's inotify queue overflowed since the last `takeOverflow()`: events were lost.
    private var overflowed = false

    /// Installs SIGTERM, SIGINT and SIGHUP handlers and opens inotify (if the kernel allows).
    init() {
        _ = pipeFDs.withUnsafeMutableBufferPointer { pipe($0.baseAddress) }
        for fd in pipeFDs {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        signalPipeWrite = pipeFDs[1]
        let handler: @convention(c) (Int32) -> Void = { signo in
            var b = UInt8(truncatingIfNeeded: signo)
            _ = write(signalPipeWrite, &b, 1)
        }
        signal(SIGTERM, handler)
        signal(SIGINT, handler)
        signal(SIGHUP, handler)
        signal(SIGPIPE, SIG_IGN)
        // A parent may have started us with these signals blocked (the mask is inherited):
        // unblock them, or SIGTERM would never reach the handler.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for signo in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&wanted, signo) }
        pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
        inotifyFD = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    }

    deinit {
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
        signal(SIGHUP, SIG_DFL)
        signalPipeWrite = -1
        for fd in pipeFDs + [inotifyFD] where fd >= 0 { close(fd) }
    }

    /// Watches a folder for files closed after writing or moved in (once per folder).
    func watch(_ dir: String) {
        guard inotifyFD >= 0, !watched.contains(dir) else { return }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB)
        if inotify_add_watch(inotifyFD, dir, mask) >= 0 { watched.insert(dir) }
    }

    /// Whether a reload was asked for since the last call.
    func takeReload() -> Bool {
        defer { reloadRequested = false }
        return reloadRequested
    }

    /// Whether inotify lost events since the last call (only a full scan can tell what changed).
    func takeOverflow() -> Bool {
        defer { overflowed = false }
        return overflowed
    }

    /// Takes note of signals that arrived, without waiting (between two files).
    func check() { wait(seconds: 0) }

    /// Waits up to `seconds` for a signal or an inotify event; drains whatever arrived.
    func wait(seconds: Double) {
        var fds = [pollfd(fd: pipeFDs[0], events: Int16(POLLIN), revents: 0)]
        if inotifyFD >= 0 { fds.append(pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0)) }
        let ms = Int32(max(0, min(seconds, 3600)) * 1000)
        _ = poll(&fds, nfds_t(fds.count), ms)
        var buffer = [UInt8](repeating: 0, count: 4096)
        if fds[0].revents != 0 {
            while true {
                let n = read(pipeFDs[0], &buffer, buffer.count)
                guard n > 0 else { break }
                for signo in buffer[0..<n] {
                    if Int32(signo) == SIGHUP { reloadRequested = true } else { stopRequested = true }
                }
            }
        }
        if fds.count > 1, fds[1].revents != 0 {
            // Which file changed does not matter (the scan looks at all of them); only whether
            // the queue overflowed, which the kernel says with an event of its own.
            while true {
                let n = read(inotifyFD, &buffer, buffer.count)
                guard n > 0 else { break }
                var offset = 0
                let header = MemoryLayout<inotify_event>.size
                while offset + header <= n {
                    let (mask, length) = buffer.withUnsafeBytes { raw in
                        (raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                         raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    }
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { overflowed = true }
                    offset += header + Int(length)
                }
            }
        }
    }
}
