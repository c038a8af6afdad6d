import Foundation
import Logging

/// Writes one line per log record to stderr, prefixed with the journald priority (`<3>` error …
/// `<7>` debug) so `journalctl -p` filters work; metadata follows as `key=value`.
struct JournalLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let priority: Int
        switch event.level {
        case .trace, .debug: priority = 7
        case .info: priority = 6
        case .notice: priority = 5
        case .warning: priority = 4
        case .error: priority = 3
        case .critical: priority = 2
        }
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = all.keys.sorted().map { key -> String in
            let v = "\(all[key]!)"
            return v.contains(" ") ? "\(key)=\"\(v)\"" : "\(key)=\(v)"
        }
        let line = "<\(priority)>\(event.message)" + (fields.isEmpty ? "" : " " + fields.joined(separator: " ")) + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
