// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Names the daemon makes from a unit's file name. A unit may name a file anything its system
/// allows (any bytes but `/` and NUL, up to 255 bytes); every name derived from it (in `work/`,
/// `archive/`, `rejected/`, `feedback/`, and their temporaries) must still fit in the file
/// system's 255 bytes, keep the extension, stay recognisable, and never start with a dot.
public enum FileNames {
    /// The file system's limit on one name, in bytes.
    public static let maxBytes = 255
    /// Kept free in every derived name: `DurableFiles.publish` adds a leading dot and
    /// `.tmp-PID` (at most 17 bytes), `DurableFiles.freeName` a `-N` before the extension.
    static let reserve = 17 + 8

    /// The name as people should read it: the bytes as UTF-8, each invalid sequence shown as
    /// U+FFFD (the record, the receipt and the log all show this form).
    public static func display(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// `prefix + name + suffix`, with `name` made safe (no control characters, no leading dot)
    /// and its stem shortened, at a character boundary and marked with "…", so that the whole
    /// fits in `maxBytes - reserve` bytes. The extension (up to 16 bytes) is kept.
    public static func fit(_ name: String, prefix: String = "", suffix: String = "") -> String {
        var clean = String(String.UnicodeScalarView(name.unicodeScalars.map { s in
            s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s == "/" ? "_" : s
        }))
        if prefix.isEmpty, clean.hasPrefix(".") { clean = "_" + clean.dropFirst() }
        let budget = maxBytes - reserve - prefix.utf8.count - suffix.utf8.count
        guard clean.utf8.count > budget else { return prefix + clean + suffix }
        let ext = (clean as NSString).pathExtension
        let keepExt = !ext.isEmpty && ext.utf8.count <= 16
        let tail = keepExt ? "." + ext : ""
        var stem = Substring(keepExt ? String(clean.dropLast(tail.count)) : clean)
        let room = max(0, budget - tail.utf8.count - "…".utf8.count)
        while stem.utf8.count > room { stem = stem.dropLast() }
        return prefix + stem + "…" + tail + suffix
    }
}
