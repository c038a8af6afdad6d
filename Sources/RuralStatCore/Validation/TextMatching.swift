// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How names and headers typed by people are compared: NFC, case-folded, whitespace collapsed.
public enum TextMatching {
    public static func key(_ s: String) -> String {
        (LegacyVietnamese.detect(s)?.unicode ?? s).precomposedStringWithCanonicalMapping
            .lowercased()
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }

    public static func same(_ a: String, _ b: String) -> Bool { key(a) == key(b) }
}
