// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The languages every message is written in.
public enum Language: String, Sendable, CaseIterable, Codable {
    case vi, en
}

/// A text in Vietnamese and English; clerks read the first, maintainers often the second.
public struct LocalizedText: Codable, Sendable, Hashable {
    public var vi: String
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    public subscript(_ language: Language) -> String {
        language == .vi ? vi : en
    }

    /// Replaces `{name}` placeholders in both languages.
    public func filled(_ values: [String: String]) -> LocalizedText {
        func fill(_ s: String) -> String {
            values.reduce(s) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        return LocalizedText(vi: fill(vi), en: fill(en))
    }
}
