// SPDX-License-Identifier: Apache-2.0
public import Foundation

/// The name an original is kept under in `archive/` and `rejected/`:
/// `20251010-081500-1a2b3c4d-original name.xlsx` — when it arrived, the first eight hex digits
/// of its SHA-256 (`khongdoc` for a file the daemon could not read), and the unit's own name,
/// shortened to fit the file system (the record keeps it whole). Written and read back here
/// only: the daemon names its originals with it, `rebuild` finds them by it.
public struct ArchiveName: Sendable, Equatable {
    /// When the file arrived (whole seconds, UTC).
    public var receivedAt: Date
    /// The first eight hex digits of its SHA-256; empty for a file that could not be read.
    public var shaPrefix: String
    /// The name the unit gave the file (as it fits in the stored name).
    public var originalName: String

    /// What stands for the hash of a file the daemon was not allowed to read.
    static let unreadMark = "khongdoc"

    public init(receivedAt: Date, sha256: String, originalName: String) {
        self.receivedAt = receivedAt
        self.shaPrefix = String(sha256.prefix(8))
        self.originalName = originalName
    }

    /// The stored name, made safe and short enough for the file system.
    public var fileName: String {
        FileNames.fit(originalName, prefix: Timestamp.compact(receivedAt) + "-" + (shaPrefix.isEmpty ? Self.unreadMark : shaPrefix) + "-")
    }

    /// Reads a stored name back; nil for a name the daemon did not make (a file put there by hand).
    public init?(parsing name: String) {
        let parts = name.split(separator: "-", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].count == 8, parts[1].count == 6,
              parts[0].allSatisfy(\.isASCIIDigit), parts[1].allSatisfy(\.isASCIIDigit),
              let at = Timestamp.parseCompact(parts[0] + "-" + parts[1]),
              parts[2] == Self.unreadMark[...] || (parts[2].count == 8 && parts[2].allSatisfy(\.isLowerHexDigit)),
              !parts[3].isEmpty else { return nil }
        receivedAt = at
        shaPrefix = parts[2] == Self.unreadMark[...] ? "" : String(parts[2])
        originalName = String(parts[3])
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    var isLowerHexDigit: Bool { isASCIIDigit || ("a"..."f").contains(self) }
}
