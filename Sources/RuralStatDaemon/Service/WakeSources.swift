// SPDX-License-Identifier: Apache-2.0
import RuralStatFiles
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
    /// The folder of each inotify watch, as bytes, to name the files its events are about.
    private var folders: [Int32: [UInt8]] = [:]
    /// Files written to (or created) in a watched folder and not yet closed: a writer has them
    /// open. Only a hint, like every inotify news; cleared when the queue overflows.
    private(set) var openForWriting: Set<[UInt8]> = []
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

    /// Watches a folder for files written, closed after writing, moved or removed (once per
    /// folder; again after the folder was removed and made anew).
    func watch(_ dir: String) {
        guard inotifyFD >= 0, !watched.contains(dir) else { return }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_MODIFY
                          | IN_DELETE_SELF | IN_MOVE_SELF)
        let wd = inotify_add_watch(inotifyFD, dir, mask)
        if wd >= 0 {
            watched.insert(dir)
            folders[wd] = Array(dir.utf8)
        }
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

    /// Keeps `openForWriting` and the watch list up to date with one inotify event.
    private func note(wd: Int32, mask: UInt32, name: [UInt8]) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            overflowed = true
            openForWriting.removeAll()
            return
        }
        guard let folder = folders[wd] else { return }
        if mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
            // The folder itself went: watch it again once it is there again.
            folders[wd] = nil
            watched.remove(FileNames.display(folder))
            return
        }
        guard !name.isEmpty, mask & UInt32(IN_ISDIR) == 0 else { return }
        let path = folder + [UInt8(ascii: "/")] + name
        if mask & UInt32(IN_MODIFY | IN_CREATE) != 0 { openForWriting.insert(path) }
        if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_FROM | IN_DELETE | IN_MOVED_TO) != 0 { openForWriting.remove(path) }
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
                    let (wd, mask, length) = buffer.withUnsafeBytes { raw in
                        (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                         raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                         raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    }
                    let nameBytes = buffer[(offset + header)..<min(n, offset + header + Int(length))].prefix { $0 != 0 }
                    note(wd: wd, mask: mask, name: Array(nameBytes))
                    offset += header + Int(length)
                }
            }
        }
    }
}
