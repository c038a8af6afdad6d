#if canImport(Glibc)
import Glibc
#endif

/// The write end of the pipe the signal handler writes to; set once before handlers are installed.
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1

/// What can wake the daemon before its next timed scan: a stop signal, or inotify telling
/// that something changed in the inbox. inotify is only a hint; the scan is the truth.
final class WakeSources {
    private var pipeFDs: [Int32] = [-1, -1]
    private var inotifyFD: Int32 = -1
    private var watched: Set<String> = []
    private(set) var stopRequested = false

    /// Installs SIGTERM and SIGINT handlers and opens inotify (if the kernel allows).
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
        signal(SIGPIPE, SIG_IGN)
        inotifyFD = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    }

    deinit {
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
        signalPipeWrite = -1
        for fd in pipeFDs + [inotifyFD] where fd >= 0 { close(fd) }
    }

    /// Watches a folder for files closed after writing or moved in (once per folder).
    func watch(_ dir: String) {
        guard inotifyFD >= 0, !watched.contains(dir) else { return }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB)
        if inotify_add_watch(inotifyFD, dir, mask) >= 0 { watched.insert(dir) }
    }

    /// Waits up to `seconds` for a signal or an inotify event; drains whatever arrived.
    func wait(seconds: Double) {
        var fds = [pollfd(fd: pipeFDs[0], events: Int16(POLLIN), revents: 0)]
        if inotifyFD >= 0 { fds.append(pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0)) }
        let ms = Int32(max(0, min(seconds, 3600)) * 1000)
        _ = poll(&fds, nfds_t(fds.count), ms)
        var buffer = [UInt8](repeating: 0, count: 4096)
        if fds[0].revents != 0 {
            while read(pipeFDs[0], &buffer, buffer.count) > 0 { stopRequested = true }
        }
        if fds.count > 1, fds[1].revents != 0 {
            while read(inotifyFD, &buffer, buffer.count) > 0 {}
        }
    }
}
