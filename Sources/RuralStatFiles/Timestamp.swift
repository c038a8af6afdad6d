// SPDX-License-Identifier: Apache-2.0
public import Foundation

/// The UTC times the daemon writes into file names and answers, each in one format, written
/// and read back here only.
public enum Timestamp {
    /// `20251010-081500`: the moment a file arrived, at the start of its stored name (sorts in time order).
    public static func compact(_ d: Date) -> String { format(d, "yyyyMMdd-HHmmss") }
    /// `2025-10-10`: the day folder of `rejected/`.
    public static func day(_ d: Date) -> String { format(d, "yyyy-MM-dd") }
    /// `2025-10-10 08:15:00 UTC`: the time as answers and the admin's mail show it.
    public static func readable(_ d: Date) -> String { format(d, "yyyy-MM-dd HH:mm:ss") + " UTC" }

    /// The moment a `compact` text stands for; nil when it is not one.
    public static func parseCompact(_ text: String) -> Date? {
        formatter("yyyyMMdd-HHmmss").date(from: text)
    }

    private static func format(_ d: Date, _ pattern: String) -> String {
        formatter(pattern).string(from: d)
    }

    private static func formatter(_ pattern: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = pattern
        return f
    }
}
