// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc

/// Gives every line the daemon's process writes to stderr a journald priority, whoever writes
/// it: libxlsxwriter prints its own errors there, and so could any library. fd 2 becomes a pipe;
/// a thread passes each line on to the real stderr, as it is when it already starts with `<N>`
/// (the log handler's lines), otherwise as a warning, with control characters escaped, so every
/// line the journal gets has a priority and is one record.
final class StderrPriorities {
    private let original: Int32
    private let readEnd: Int32
    private let done = DispatchSemaphore(value: 0)

    /// Starts passing lines on; nil when the pipe cannot be made (stderr is then left as it is).
    init?() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        let saved = dup(2)
        guard saved >= 0, dup2(fds[1], 2) >= 0 else { close(fds[0]); close(fds[1]); return nil }
        close(fds[1])
        _ = fcntl(saved, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        original = saved
        readEnd = fds[0]
        let thread = Thread { [original, readEnd, done] in
            Self.pump(from: readEnd, to: original)
            done.signal()
        }
        thread.start()
    }

    /// Puts the real stderr back and waits until every line written so far has been passed on.
    func finish() {
        _ = dup2(original, 2)
        done.wait()
        close(readEnd)
    }

    private static func pump(from input: Int32, to output: Int32) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = read(input, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending += buffer[0..<n]
            while let newline = pending.firstIndex(of: 0x0A) {
                emit(Array(pending[..<newline]), to: output)
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { emit(pending, to: output) }
    }

    private static func emit(_ line: [UInt8], to output: Int32) {
        let prefixed = line.count >= 3 && line[0] == UInt8(ascii: "<") && (0x30...0x37).contains(line[1]) && line[2] == UInt8(ascii: ">")
        let text = prefixed
            ? line + [0x0A]
            : Array(JournalLogHandler.line(priority: 4, message: JournalLogHandler.escaped(String(decoding: line, as: UTF8.self)), fields: []).utf8)
        var offset = 0
        while offset < text.count {
            let n = text[offset...].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
