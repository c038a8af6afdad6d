// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

extension XMLScanner {
    /// True when `slice` holds a CR, or (with `references`) an '&': the only bytes that make
    /// decoded text differ from the bytes. One pass over bytes that are nearly always short.
    @inline(__always) static func needsDecoding(_ slice: UnsafeBufferPointer<UInt8>, references: Bool) -> Bool {
        // CR (0x0D) and '&' (0x26) are both below 0x27, and digits, '.', '-' and letters are
        // not: one compare per byte of a number, as when only '&' was looked for.
        for c in slice where c < 0x27 && (c == 0x0D || (references && c == UInt8(ascii: "&"))) { return true }
        return false
    }

    /// Appends `slice` to `out` with CR LF and lone CR read as LF (in attributes: CR LF, CR,
    /// LF and tab read as a space), and, with `references`, entity and character references
    /// replaced by their UTF-8. A reference that names no XML character, or an entity XML
    /// does not predefine, is kept as written (no DTD can declare one).
    static func appendDecoded(_ slice: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], references: Bool, attribute: Bool) {
        var j = 0
        while j < slice.count {
            let ch = slice[j]
            if ch == 0x0D {
                out.append(attribute ? 0x20 : 0x0A)
                j += j + 1 < slice.count && slice[j + 1] == 0x0A ? 2 : 1
                continue
            }
            if attribute && (ch == 0x0A || ch == 0x09) {
                out.append(0x20)
                j += 1
                continue
            }
            guard references, ch == UInt8(ascii: "&"), let scalar = reference(slice, at: j) else {
                out.append(ch)
                j += 1
                continue
            }
            out.append(contentsOf: Array(String(scalar.0).utf8))
            j = scalar.end
        }
    }

    /// The character of the reference starting with '&' at `j`, and where it ends.
    private static func reference(_ slice: UnsafeBufferPointer<UInt8>, at j: Int) -> (Unicode.Scalar, end: Int)? {
        guard let semi = slice[(j + 1)...].prefix(40).firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let body = UnsafeBufferPointer(rebasing: slice[(j + 1)..<semi])
        func named(_ s: StaticString) -> Bool {
            body.count == s.utf8CodeUnitCount && memcmp(body.baseAddress!, s.utf8Start, body.count) == 0
        }
        guard !body.isEmpty else { return nil }
        var scalar: Unicode.Scalar?
        if named("lt") { scalar = "<" } else if named("gt") { scalar = ">" } else if named("amp") { scalar = "&" }
        else if named("quot") { scalar = "\"" } else if named("apos") { scalar = "'" }
        else if body[0] == UInt8(ascii: "#") {
            let hex = body.count > 1 && (body[1] == UInt8(ascii: "x") || body[1] == UInt8(ascii: "X"))
            let digits = body.dropFirst(hex ? 2 : 1)
            var v: UInt32 = 0
            guard !digits.isEmpty else { return nil }
            for d in digits {
                guard let n = hexValue(d), hex || n < 10 else { return nil }
                v = v &* (hex ? 16 : 10) &+ n
                if v > 0x10FFFF { return nil }
            }
            // XML 1.0 §2.2 Char: tab, LF, CR and the ranges without surrogates, FFFE and FFFF.
            guard v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
                    || (0x10000...0x10FFFF).contains(v) else { return nil }
            scalar = Unicode.Scalar(v)
        }
        return scalar.map { ($0, semi + 1) }
    }

    @inline(__always) private static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }
}
