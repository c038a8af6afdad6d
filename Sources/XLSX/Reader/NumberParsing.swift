// SPDX-License-Identifier: Apache-2.0
/// Parses the decimal numbers SpreadsheetML stores (`<v>` text) straight from bytes.
enum NumberParsing {
    private static let powers: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

    /// The exact fast path for up to 15 significant digits and small exponents (both operands
    /// are exact doubles, so one multiplication or division rounds correctly); anything else
    /// goes through the standard library's parser. Nil when the text is not a number.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = bytes.count
        while i < n && (bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D) { i += 1 }
        var end = n
        while end > i && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
        guard i < end else { return nil }
        let start = i
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if bytes[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var sawDigit = false
        while i < end, bytes[i] &- 48 < 10 {
            sawDigit = true
            if mantissa != 0 || bytes[i] != 48 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48) } else { exponent += 1 }
            i += 1
        }
        if i < end && bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, bytes[i] &- 48 < 10 {
                sawDigit = true
                if mantissa != 0 || bytes[i] != 48 { significant += 1 }
                if significant <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
                    exponent -= 1
                }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < end && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < end && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var sawExpDigit = false
            while i < end, bytes[i] &- 48 < 10 {
                sawExpDigit = true
                if e < 100_000 { e = e * 10 + Int(bytes[i] &- 48) }
                i += 1
            }
            guard sawExpDigit else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == end else { return nil }
        if significant <= 15 && exponent >= -22 && exponent <= 22 {
            var v = Double(mantissa)
            if exponent >= 0 { v *= powers[exponent] } else { v /= powers[-exponent] }
            return negative ? -v : v
        }
        // Too many digits for the fast path: glibc's strtod rounds correctly.
        let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard text.count < 128 else { return Double(String(decoding: text, as: UTF8.self)) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buf in
            for k in 0..<text.count { buf[k] = CChar(bitPattern: text[k]) }
            buf[text.count] = 0
            var endPointer: UnsafeMutablePointer<CChar>?
            let v = strtod(buf.baseAddress!, &endPointer)
            return endPointer == buf.baseAddress! + text.count ? v : nil
        }
    }
}

import Foundation
