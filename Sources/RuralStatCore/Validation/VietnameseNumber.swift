// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads a number typed as text the Vietnamese way: `.` groups thousands and `,` marks the
/// decimals ("1.500" = 1500, "4,34" = 4.34, "1.500,5" = 1500.5). Text that could be read two
/// ways ("1,500": 1,5 or one thousand five hundred?) is reported, never guessed.
enum VietnameseNumber {
    enum Reading: Equatable {
        case value(Double)
        /// Both readings, to show the clerk.
        case ambiguous(String, String)
        /// Written the English way ("1,500,000", "1,500.5"): the value it would have there.
        case englishStyle(String)
        case notANumber
    }

    static func read(_ raw: String) -> Reading {
        var t = raw.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\u{00A0}", with: " ")
        var sign = 1.0
        if t.hasPrefix("-") { sign = -1; t.removeFirst() } else if t.hasPrefix("+") { t.removeFirst() }
        t = t.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "," || $0 == " " }) else { return .notANumber }
        func number(_ s: String) -> Double? { Double(s).map { $0 * sign } }
        let dots = t.filter { $0 == "." }.count, commas = t.filter { $0 == "," }.count, spaces = t.filter { $0 == " " }.count
        let groups = { (s: Substring, separator: Character) -> Bool in
            let parts = s.split(separator: separator, omittingEmptySubsequences: false)
            return parts.count >= 2 && (1...3).contains(parts[0].count) && parts.dropFirst().allSatisfy { $0.count == 3 }
                && parts.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
        }
        if dots == 0 && commas == 0 {
            if spaces == 0 { return number(t).map(Reading.value) ?? .notANumber }
            // "1 500 000": spaces as thousands separators.
            return groups(Substring(t), " ") ? number(t.replacingOccurrences(of: " ", with: "")).map(Reading.value) ?? .notANumber : .notANumber
        }
        guard spaces == 0 else { return .notANumber }
        let integerPart = t.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let decimalPart = commas == 1 ? String(t.split(separator: ",", omittingEmptySubsequences: false)[1]) : nil
        // Vietnamese: integer digits, optionally grouped by dots; at most one decimal comma.
        let vietnameseInteger = (dots == 0 && integerPart.allSatisfy(\.isASCIIDigit) && !integerPart.isEmpty) || groups(integerPart, ".")
        if commas <= 1, vietnameseInteger, decimalPart.map({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) ?? true {
            let digits = integerPart.replacingOccurrences(of: ".", with: "") + (decimalPart.map { "." + $0 } ?? "")
            guard let v = number(digits) else { return .notANumber }
            // "1,500": a decimal comma before exactly three digits also reads as English thousands.
            if dots == 0, let d = decimalPart, d.count == 3, integerPart.count <= 3 {
                return .ambiguous(vietnamese(v), english(integerPart + d))
            }
            return .value(v)
        }
        // English habits: "4.34", "1,500,000", "1,500.5". Each could be a slip either way.
        if dots == 1 && commas == 0 {
            let parts = t.split(separator: ".")
            if parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) {
                return .ambiguous(vietnamese(Double(parts[0] + parts[1])! * sign), english(t))
            }
        }
        if groups(Substring(t.split(separator: ".", omittingEmptySubsequences: false)[0]), ","), dots <= 1 {
            let english = t.replacingOccurrences(of: ",", with: "")
            if let v = Double(english) { return .englishStyle(Self.english(String(v * sign))) }
        }
        return .notANumber
    }

    private static func vietnamese(_ v: Double) -> String {
        let s = v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        return s.replacingOccurrences(of: ".", with: ",")
    }

    private static func english(_ s: String) -> String {
        guard let v = Double(s) else { return s }
        return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
}
