// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatMail
import RuralStatFiles
#if canImport(Glibc)
import Glibc
#endif

/// The lines the daemon logs at error level or worse, kept for the admin's mail (at most one an
/// hour, see `Daemon`). The log handler adds to it; nothing else does.
public final class AdminAlerts: @unchecked Sendable {
    public static let shared = AdminAlerts()

    /// More than this in an hour is a flood: the mail says how many more there were.
    static let maxLines = 200

    private var mutex = pthread_mutex_t()
    private var lines: [String] = []
    private var dropped = 0

    public init() { pthread_mutex_init(&mutex, nil) }

    /// Keeps one log line (already escaped to a single line by the handler), stamped with the time.
    public func add(_ line: String, at: Date = Date()) {
        let stamp = Timestamp.readable(at)
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if lines.count < Self.maxLines { lines.append(stamp + " " + line) } else { dropped += 1 }
    }

    /// The lines kept so far and how many were left out, emptying the buffer.
    public func take() -> (lines: [String], dropped: Int) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let out = (lines, dropped)
        lines = []
        dropped = 0
        return out
    }

    /// Lines given back when their mail could not be written, ahead of newer ones.
    public func putBack(_ old: [String], dropped more: Int) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let all = old + lines
        lines = Array(all.prefix(Self.maxLines))
        dropped += more + max(0, all.count - Self.maxLines)
    }

    public var isEmpty: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return lines.isEmpty && dropped == 0
    }

    /// The admin's message: the lines as logged, with the host and the configuration they came from.
    public static func message(lines: [String], dropped: Int, configFile: String, settings: MailSettings, to admin: String,
                               at: Date) -> MailMessage {
        let name = ProcessInfo.processInfo.hostName
        var text = [
            "ruralstat trên máy \(name) đã ghi \(lines.count + dropped) lỗi vào nhật ký (cấu hình \(configFile)).",
            "Xem toàn bộ: journalctl -u ruralstat --since \"1 hour ago\"",
            "",
            "ruralstat on \(name) logged \(lines.count + dropped) error(s) (configuration \(configFile)):",
            "",
        ] + lines
        if dropped > 0 { text.append("… và \(dropped) dòng nữa / and \(dropped) more line(s): see the journal.") }
        return MailMessage(from: settings.from, to: [admin], subject: "[ruralstat] \(lines.count + dropped) lỗi cần quản trị xem xét / errors for the admin",
                           text: text.joined(separator: "\n"), date: at)
    }
}
