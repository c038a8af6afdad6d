// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatDaemon
import Logging

/// Writes one line per log record to stderr, prefixed with the journald priority (`<3>` error …
/// `<7>` debug) so `journalctl -p` filters work; metadata follows as `key=value`.
///
/// A record is always one line: control characters in the message or in any field (a file
/// name with a newline, an error text over several lines, an escape byte) are written as
/// escapes, so nothing a unit names a file can forge a journal line or reach the terminal raw.
struct JournalLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = all.keys.sorted().map { key -> String in
            Self.escaped(key) + "=" + Self.field("\(all[key]!)")
        }
        let line = Self.line(priority: Self.priority(event.level), message: Self.escaped("\(event.message)"), fields: fields)
        FileHandle.standardError.write(Data(line.utf8))
        // What the admin must see is mailed too (at most once an hour, when mail is configured).
        if event.level >= .error { AdminAlerts.shared.add(String(line.dropFirst(3).dropLast())) }
    }

    static func line(priority: Int, message: String, fields: [String]) -> String {
        "<\(priority)>\(message)" + (fields.isEmpty ? "" : " " + fields.joined(separator: " ")) + "\n"
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// A field value: quoted when it holds a space, a quote or nothing, escaped always.
    static func field(_ value: String) -> String {
        let e = escaped(value)
        if e.isEmpty || e.contains(" ") || e.contains("\"") {
            return "\"" + e.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return e
    }

    /// `value` with C0 and C1 controls, DEL and the Unicode line and paragraph separators
    /// written as `\n`, `\r`, `\t` or `\u{…}`, and backslashes doubled so the escapes are unambiguous.
    static func escaped(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: needsEscape) else { return value }
        var out = ""
        out.unicodeScalars.reserveCapacity(value.unicodeScalars.count + 8)
        for s in value.unicodeScalars {
            switch s {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where needsEscape(s): out += "\\u{" + String(s.value, radix: 16) + "}"
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }

    private static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029 || s == "\\"
    }
}
