// SPDX-License-Identifier: Apache-2.0
import Foundation

extension WorkbookReader {
    /// Streams the shared-strings part: rich-text runs joined, phonetic runs left out.
    func loadSharedStrings(part: String) throws {
        guard let entry = try zip.open(part) else { return }
        var stream = XMLStream(entry: entry, part: part, maxDepth: limits.maxDepth)
        var current: [UInt8] = []
        var inPhonetic = 0
        var inText = false
        var inItem = false
        while let ev = try stream.next() {
            switch ev {
            case .start(let tag) where tag.namespace.isSpreadsheet:
                if stream.scanner.equals(tag.name, "si") {
                    if tag.selfClosing { sharedStrings.append("") } else { inItem = true; current.removeAll(keepingCapacity: true) }
                } else if stream.scanner.equals(tag.name, "rPh") && !tag.selfClosing {
                    inPhonetic += 1
                } else if stream.scanner.equals(tag.name, "t") && !tag.selfClosing {
                    inText = true
                }
            case .start: break
            case .end(let name, let namespace) where namespace.isSpreadsheet:
                if stream.scanner.equals(name, "si") {
                    inItem = false
                    let text = Self.unescapeOOXML(String(decoding: current, as: UTF8.self))
                    try checkLength(text)
                    sharedStrings.append(text)
                } else if stream.scanner.equals(name, "rPh") {
                    inPhonetic -= 1
                } else if stream.scanner.equals(name, "t") {
                    inText = false
                }
            case .end: break
            case .text(let r, let raw):
                if inItem && inText && inPhonetic == 0 {
                    stream.scanner.appendText(r, raw: raw, to: &current)
                    if current.count > limits.maxStringLength * 4 {
                        throw XLSXError(.limitExceeded, "A cell holds text longer than \(limits.maxStringLength) characters, more than Excel allows; the file is refused.")
                    }
                }
            }
        }
    }

    /// Decodes `_xHHHH_` escapes that OOXML uses for characters XML cannot carry (ECMA-376
    /// Part 1, 22.9.2.19); two that form a UTF-16 surrogate pair give one character, a lone
    /// surrogate stays as written.
    static func unescapeOOXML(_ s: String) -> String {
        // A byte scan, not Foundation's `contains`: this runs for every string in the file.
        var seen = false
        var previous: UInt8 = 0
        for byte in s.utf8 {
            if previous == UInt8(ascii: "_") && byte == UInt8(ascii: "x") { seen = true; break }
            previous = byte
        }
        guard seen else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "_x") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            if let v = escape(after) {
                if let u = Unicode.Scalar(v) {
                    out.unicodeScalars.append(u)
                    rest = after.dropFirst(5)
                    continue
                }
                let next = after.dropFirst(5)
                if (0xD800..<0xDC00).contains(v), next.hasPrefix("_x"), let low = escape(next.dropFirst(2)), (0xDC00..<0xE000).contains(low),
                   let u = Unicode.Scalar(0x10000 + (v - 0xD800) << 10 + (low - 0xDC00)) {
                    out.unicodeScalars.append(u)
                    rest = next.dropFirst(7)
                    continue
                }
            }
            out += "_x"
            rest = after
        }
        return out + rest
    }

    /// The code unit of `HHHH_` at the start of `s` (what follows an `_x`).
    private static func escape(_ s: Substring) -> UInt32? {
        let hex = s.prefix(5)
        guard hex.count == 5, hex.last == "_", hex.prefix(4).allSatisfy(\.isHexDigit) else { return nil }
        return UInt32(hex.prefix(4), radix: 16)
    }

    private func checkLength(_ s: String) throws {
        try ValueTable.checkLength(s, max: limits.maxStringLength)
    }
}
