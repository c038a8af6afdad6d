// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How a part's bytes are encoded, told from its first bytes and its XML declaration
/// (XML 1.0 §4.3.3 and Appendix F). The scanner reads UTF-8 only: anything else is
/// transcoded to UTF-8 before it is scanned, or refused in words.
enum XMLEncoding: Equatable {
    case utf8
    case utf16(bigEndian: Bool)
    case latin1

    /// The longest head looked at for a declaration; a longer one is not looked for.
    static let headLimit = 1024

    /// The encoding of a part starting with `head`, and how many bytes of byte order mark
    /// to skip; nil when more bytes are needed to tell (and `atEnd` is false).
    static func detect(_ head: UnsafeBufferPointer<UInt8>, atEnd: Bool) throws -> (XMLEncoding, bom: Int)? {
        func at(_ k: Int) -> Int { k < head.count ? Int(head[k]) : -1 }
        let enough = atEnd || head.count >= 4
        guard enough else { return nil }
        switch (at(0), at(1), at(2), at(3)) {
        case (0x00, 0x00, 0xFE, 0xFF), (0xFF, 0xFE, 0x00, 0x00), (0x00, 0x00, 0x00, 0x3C), (0x3C, 0x00, 0x00, 0x00):
            throw unsupported("UTF-32")
        case (0xFE, 0xFF, _, _): return (.utf16(bigEndian: true), 2)
        case (0xFF, 0xFE, _, _): return (.utf16(bigEndian: false), 2)
        case (0x00, 0x3C, 0x00, 0x3F): return (.utf16(bigEndian: true), 0)
        case (0x3C, 0x00, 0x3F, 0x00): return (.utf16(bigEndian: false), 0)
        case (0x4C, 0x6F, 0xA7, 0x94): throw unsupported("EBCDIC")
        case (0xEF, 0xBB, 0xBF, _): return (.utf8, 3)
        default: break
        }
        // ASCII-compatible: the declaration, if any, names the encoding.
        guard head.count >= 5, head[0] == 0x3C, head[1] == 0x3F, head[2] == 0x78, head[3] == 0x6D, head[4] == 0x6C else {
            return atEnd || head.count >= 5 ? (.utf8, 0) : nil
        }
        guard let close = (0..<max(head.count - 1, 0)).first(where: { head[$0] == 0x3F && head[$0 + 1] == 0x3E }) else {
            return atEnd || head.count >= headLimit ? (.utf8, 0) : nil
        }
        guard let name = declaredEncoding(UnsafeBufferPointer(rebasing: head[..<close])) else { return (.utf8, 0) }
        switch name.lowercased() {
        case "utf-8", "utf8", "us-ascii", "ascii": return (.utf8, 0)
        case "iso-8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819": return (.latin1, 0)
        case "utf-16", "utf-16le", "utf-16be", "iso-10646-ucs-2":
            throw XLSXError(.malformed, "The part {part} says it is written in \(name) but is not. Save the workbook again from Excel or LibreOffice.")
        default: throw unsupported(name)
        }
    }

    /// The value of `encoding="…"` in an XML declaration (without its closing `?>`).
    private static func declaredEncoding(_ decl: UnsafeBufferPointer<UInt8>) -> String? {
        let text = String(decoding: decl, as: UTF8.self)
        guard let key = text.range(of: "encoding") else { return nil }
        var rest = text[key.upperBound...].drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix(while: { $0 != quote }))
    }

    private static func unsupported(_ name: String) -> XLSXError {
        XLSXError(.malformed, "The part {part} is written in the character encoding \(name), which ruralstat cannot read. Save the workbook again from Excel or LibreOffice as an .xlsx workbook.")
    }

    /// A whole part as UTF-8: the bytes as they are when already UTF-8 (a byte order mark is
    /// left for the scanner), else transcoded.
    static func utf8(_ data: [UInt8]) throws -> [UInt8] {
        let found = try data.withUnsafeBufferPointer { try detect($0, atEnd: true) } ?? (.utf8, 0)
        guard found.0 != .utf8 else { return data }
        var transcoder = XMLTranscoder(found.0)
        var out = [UInt8](repeating: 0, count: XMLTranscoder.capacity(forInput: data.count))
        let n = try data.withUnsafeBufferPointer { input in
            try out.withUnsafeMutableBufferPointer { output in
                let written = transcoder.transcode(UnsafeBufferPointer(rebasing: input[found.bom...]), into: output.baseAddress!)
                try transcoder.finish()
                return written
            }
        }
        out.removeLast(out.count - n)
        return out
    }
}

/// Turns UTF-16 or Latin-1 into UTF-8 piece by piece: a code unit or surrogate pair cut by a
/// piece boundary is carried to the next piece. A lone surrogate becomes U+FFFD, as
/// `String(decoding:)` would make it.
struct XMLTranscoder {
    let encoding: XMLEncoding
    /// The first byte of a UTF-16 code unit whose second byte is in the next piece.
    private var pendingByte: UInt8?
    /// A high surrogate waiting for its low half.
    private var pendingHigh: UInt32?

    init(_ encoding: XMLEncoding) { self.encoding = encoding }

    /// The most bytes `transcode` writes for `n` input bytes (UTF-16: one 2-byte unit gives
    /// at most 3 bytes; Latin-1: one byte gives at most 2), with room for what was carried.
    static func capacity(forInput n: Int) -> Int { n * 2 + 8 }

    /// Writes the UTF-8 of `input` to `out` (which holds `capacity(forInput:)` bytes); returns the count.
    mutating func transcode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        @inline(__always) func put(_ v: UInt32) {
            switch v {
            case ..<0x80: out[n] = UInt8(v); n += 1
            case ..<0x800:
                out[n] = UInt8(0xC0 | v >> 6); out[n + 1] = UInt8(0x80 | v & 0x3F); n += 2
            case ..<0x10000:
                out[n] = UInt8(0xE0 | v >> 12); out[n + 1] = UInt8(0x80 | v >> 6 & 0x3F); out[n + 2] = UInt8(0x80 | v & 0x3F); n += 3
            default:
                out[n] = UInt8(0xF0 | v >> 18); out[n + 1] = UInt8(0x80 | v >> 12 & 0x3F)
                out[n + 2] = UInt8(0x80 | v >> 6 & 0x3F); out[n + 3] = UInt8(0x80 | v & 0x3F); n += 4
            }
        }
        switch encoding {
        case .utf8:
            for byte in input { out[n] = byte; n += 1 }
        case .latin1:
            for byte in input { put(UInt32(byte)) }
        case .utf16(let bigEndian):
            var k = 0
            while k < input.count {
                let first: UInt8, second: UInt8
                if let p = pendingByte {
                    (first, second) = (p, input[k]); pendingByte = nil; k += 1
                } else if k + 1 < input.count {
                    (first, second) = (input[k], input[k + 1]); k += 2
                } else {
                    pendingByte = input[k]; break
                }
                let unit = bigEndian ? UInt32(first) << 8 | UInt32(second) : UInt32(second) << 8 | UInt32(first)
                if let high = pendingHigh {
                    pendingHigh = nil
                    if (0xDC00..<0xE000).contains(unit) {
                        put(0x10000 + (high - 0xD800) << 10 + (unit - 0xDC00))
                        continue
                    }
                    put(0xFFFD)
                }
                switch unit {
                case 0xD800..<0xDC00: pendingHigh = unit
                case 0xDC00..<0xE000: put(0xFFFD)
                default: put(unit)
                }
            }
        }
        return n
    }

    /// At the end of the part: a code unit cut in half is damage.
    func finish() throws {
        if pendingByte != nil || pendingHigh != nil {
            throw XLSXError(.malformed, "The workbook is damaged ({part}: a UTF-16 character is cut off at the end). Save it again from Excel or LibreOffice and send it again.")
        }
    }
}
