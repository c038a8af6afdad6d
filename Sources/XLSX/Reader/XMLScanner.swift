#if canImport(Glibc)
import Glibc
#endif
import CellModel
/// A start tag as byte ranges into the document: the local name (prefix removed) and the
/// raw attribute text, parsed only when asked.
struct XMLTag {
    var name: Range<Int>
    var attributes: Range<Int>
    var selfClosing: Bool
}

/// What the scanner found next.
enum XMLEvent {
    case start(XMLTag)
    case end(name: Range<Int>)
    /// Character data; `raw` is true for CDATA, which carries no entity references.
    case text(Range<Int>, raw: Bool)
}

/// A narrow pull tokenizer for the SpreadsheetML subset: elements, attributes, text, CDATA,
/// comments and processing instructions. Any DTD is refused outright, so no entity is
/// ever expanded; nesting is capped. It works on bytes and allocates only for strings asked for.
///
/// It scans a window of a document. When the window is not the end of the document
/// (`isFinal` false) and a construct runs past it, `next()` returns nil with `needsMore`
/// set and its position left at the start of that construct, so the caller can slide the
/// window and go on (see `XMLStream`).
struct XMLScanner {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private(set) var depth = 0
    private let maxDepth: Int
    private let isFinal: Bool
    /// True when `next()` stopped because the window ends inside a construct.
    private(set) var needsMore = false

    /// Errors name the part as `{part}`: the caller fills it in (see `XLSXError.inPart`), so
    /// the scanner holds no reference-counted value and copies for free.
    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, isFinal: Bool = true,
         depth: Int = 0, atDocumentStart: Bool = true) {
        b = bytes
        self.maxDepth = maxDepth
        self.isFinal = isFinal
        self.depth = depth
        // A UTF-8 byte order mark is allowed before the declaration.
        if atDocumentStart && b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { i = 3 }
    }

    /// Where the next construct starts: everything before it has been consumed.
    var position: Int { i }

    /// Called where a construct starting at `start` runs past the window.
    private mutating func incomplete(_ start: Int, _ what: String) throws -> XMLEvent? {
        if isFinal { throw malformed(what) }
        i = start
        needsMore = true
        return nil
    }

    private func malformed(_ what: String) -> XLSXError {
        XLSXError(.malformed, "The workbook is damaged ({part}: \(what)). Save it again from Excel or LibreOffice and send it again.")
    }

    /// Index of the first `byte` at or after `from`, or nil; memchr is vectorised in libc.
    @inline(__always) private func index(of byte: UInt8, from: Int) -> Int? {
        guard from < b.count, let base = b.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), b.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Index of the first occurrence of `pattern` at or after `from`, or nil.
    private func find(_ pattern: StaticString, from: Int) -> Int? {
        let p = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        var j = from
        while let hit = index(of: p[0], from: j) {
            guard hit + p.count <= b.count else { return nil }
            var k = 1
            while k < p.count && b[hit + k] == p[k] { k += 1 }
            if k == p.count { return hit }
            j = hit + 1
        }
        return nil
    }

    private func hasPrefix(_ pattern: StaticString, at: Int) -> Bool {
        let n = pattern.utf8CodeUnitCount
        guard at + n <= b.count else { return false }
        for k in 0..<n where b[at + k] != pattern.utf8Start[k] { return false }
        return true
    }

    /// The local part of a qualified name: what follows the last ':'.
    private func localName(_ start: Int, _ end: Int) -> Range<Int> {
        var s = start
        for j in start..<end where b[j] == UInt8(ascii: ":") { s = j + 1 }
        return s..<end
    }

    @inline(__always) private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
    }

    mutating func next() throws -> XMLEvent? {
        needsMore = false
        while i < b.count {
            let start = i
            if b[i] != UInt8(ascii: "<") {
                i = index(of: UInt8(ascii: "<"), from: i) ?? b.count
                if i == b.count && !isFinal { return try incomplete(start, "unexpected end") }
                return .text(start..<i, raw: false)
            }
            guard i + 1 < b.count else { return try incomplete(start, "unexpected end") }
            let c = b[i + 1]
            if c == UInt8(ascii: "/") {
                let nameStart = i + 2
                var j = nameStart
                while j < b.count && b[j] != UInt8(ascii: ">") && !Self.isSpace(b[j]) { j += 1 }
                let close: Int
                if j < b.count && b[j] == UInt8(ascii: ">") {
                    close = j
                } else {
                    guard let found = find(">", from: j) else { return try incomplete(start, "unclosed end tag") }
                    close = found
                }
                i = close + 1
                depth -= 1
                if depth < 0 { throw malformed("end tag without start") }
                return .end(name: localName(nameStart, j))
            }
            if c == UInt8(ascii: "?") {
                guard let close = find("?>", from: i + 2) else { return try incomplete(start, "unclosed declaration") }
                i = close + 2
                continue
            }
            if c == UInt8(ascii: "!") {
                if !isFinal && b.count - i < 9 { return try incomplete(start, "unexpected end") }
                if hasPrefix("<!--", at: i) {
                    guard let close = find("-->", from: i + 4) else { return try incomplete(start, "unclosed comment") }
                    i = close + 3
                    continue
                }
                if hasPrefix("<![CDATA[", at: i) {
                    let textStart = i + 9
                    guard let close = find("]]>", from: textStart) else { return try incomplete(start, "unclosed CDATA") }
                    i = close + 3
                    return .text(textStart..<close, raw: true)
                }
                throw XLSXError(.malformed, "The workbook contains a document type declaration (DTD) in {part}, which is not allowed in a submission. Save it again from Excel or LibreOffice.")
            }
            // A start tag.
            let nameStart = i + 1
            var j = nameStart
            while j < b.count && b[j] != UInt8(ascii: ">") && b[j] != UInt8(ascii: "/") && !Self.isSpace(b[j]) { j += 1 }
            let nameEnd = j
            var quote: UInt8 = 0
            while j < b.count {
                let ch = b[j]
                if quote != 0 {
                    if ch == quote { quote = 0 }
                } else if ch == UInt8(ascii: "\"") || ch == UInt8(ascii: "'") {
                    quote = ch
                } else if ch == UInt8(ascii: ">") {
                    break
                }
                j += 1
            }
            guard j < b.count else { return try incomplete(start, "unclosed tag") }
            let selfClosing = j > nameEnd && b[j - 1] == UInt8(ascii: "/")
            let attrEnd = selfClosing ? j - 1 : j
            i = j + 1
            if !selfClosing {
                depth += 1
                if depth > maxDepth {
                    throw XLSXError(.limitExceeded, "The workbook nests elements deeper than \(maxDepth) levels in {part}; the file is refused.")
                }
            }
            return .start(XMLTag(name: localName(nameStart, nameEnd), attributes: nameEnd..<attrEnd, selfClosing: selfClosing))
        }
        if !isFinal { needsMore = true }
        return nil
    }

    /// The fast path for the most common cell, `<c …><v>TEXT</v></c>`, called right after the
    /// `<c>` start tag: when the next bytes have exactly that shape and are all in the window,
    /// consumes them (closing the cell) and returns the range of TEXT; otherwise leaves
    /// everything as it is and returns nil, and the caller goes on event by event.
    mutating func takeSimpleValue() -> Range<Int>? {
        guard i + 3 <= b.count, b[i] == UInt8(ascii: "<"), b[i + 1] == UInt8(ascii: "v"), b[i + 2] == UInt8(ascii: ">"),
              let lt = index(of: UInt8(ascii: "<"), from: i + 3), lt + 8 <= b.count,
              b[lt + 1] == UInt8(ascii: "/"), b[lt + 2] == UInt8(ascii: "v"), b[lt + 3] == UInt8(ascii: ">"),
              b[lt + 4] == UInt8(ascii: "<"), b[lt + 5] == UInt8(ascii: "/"), b[lt + 6] == UInt8(ascii: "c"),
              b[lt + 7] == UInt8(ascii: ">") else { return nil }
        let value = (i + 3)..<lt
        i = lt + 8
        depth -= 1
        return value
    }

    /// True when the bytes in `range` spell `name`.
    func equals(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        for k in 0..<range.count where b[range.lowerBound + k] != name.utf8Start[k] { return false }
        return true
    }

    /// The raw (still escaped) value range of the attribute whose local name is `name`.
    func attributeRange(_ name: StaticString, in tag: XMLTag) -> Range<Int>? {
        var found: Range<Int>?
        forEachAttribute(in: tag) { n, v in
            if found == nil && equals(n, name) { found = v }
        }
        return found
    }

    /// The decoded value of the attribute whose local name is `name`.
    func attribute(_ name: StaticString, in tag: XMLTag) -> String? {
        attributeRange(name, in: tag).map { decode($0, raw: false) }
    }

    /// Decodes character data: the five predefined entities and numeric character references.
    func decode(_ range: Range<Int>, raw: Bool) -> String {
        let slice = UnsafeBufferPointer(rebasing: b[range])
        if raw || !slice.contains(UInt8(ascii: "&")) {
            return String(decoding: slice, as: UTF8.self)
        }
        var out: [UInt8] = []
        Self.appendDecoded(slice, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `slice` to `out` with entity and character references replaced by their UTF-8.
    static func appendDecoded(_ slice: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var j = 0
        while j < slice.count {
            let ch = slice[j]
            guard ch == UInt8(ascii: "&"), let semi = slice[j...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                out.append(ch)
                j += 1
                continue
            }
            let entity = String(decoding: UnsafeBufferPointer(rebasing: slice[(j + 1)..<semi]), as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch entity {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst(1)).flatMap(Unicode.Scalar.init)
                }
            }
            if let scalar {
                out.append(contentsOf: Array(String(scalar).utf8))
                j = semi + 1
            } else {
                out.append(ch)
                j += 1
            }
        }
    }

    /// Appends character data to `out`, decoding references unless it is CDATA.
    func appendText(_ range: Range<Int>, raw: Bool, to out: inout [UInt8]) {
        let slice = UnsafeBufferPointer(rebasing: b[range])
        if raw || !slice.contains(UInt8(ascii: "&")) {
            out.append(contentsOf: slice)
        } else {
            Self.appendDecoded(slice, to: &out)
        }
    }

    /// Calls `body` with the local name and raw value range of each attribute of `tag`.
    @inline(__always)
    func forEachAttribute(in tag: XMLTag, _ body: (Range<Int>, Range<Int>) -> Void) {
        var j = tag.attributes.lowerBound
        let end = tag.attributes.upperBound
        while j < end {
            while j < end && Self.isSpace(b[j]) { j += 1 }
            let nameStart = j
            while j < end && b[j] != UInt8(ascii: "=") && !Self.isSpace(b[j]) { j += 1 }
            let nameRange = localName(nameStart, j)
            while j < end && b[j] != UInt8(ascii: "\"") && b[j] != UInt8(ascii: "'") { j += 1 }
            guard j < end else { return }
            let quote = b[j]
            let valueStart = j + 1
            j = valueStart
            while j < end && b[j] != quote { j += 1 }
            body(nameRange, valueStart..<min(j, end))
            j += 1
        }
    }

    /// The first byte of `range`, or 0 when it is empty.
    @inline(__always) func byte(_ range: Range<Int>, _ offset: Int = 0) -> UInt8 {
        offset < range.count ? b[range.lowerBound + offset] : 0
    }

    /// Parses the bytes in `range` as a non-negative decimal integer without allocating.
    func integer(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        var v = 0
        for k in range {
            let d = Int(b[k]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v &* 10 &+ d
            if v > 1 << 40 { return nil }
        }
        return v
    }

    /// The raw bytes in `range`, for callers that copy them before the window slides.
    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: b[range])
    }

    /// Parses a cell reference such as `AB12` from the bytes in `range`.
    func cellAddress(_ range: Range<Int>) -> CellAddress? {
        var col = 0, row = 0, k = range.lowerBound
        while k < range.upperBound, (65...90).contains(b[k]) || (97...122).contains(b[k]) {
            col = col * 26 + Int((b[k] & 0xDF) - 64)
            k += 1
            if col > 16_384 { return nil }
        }
        guard let r = integer(k..<range.upperBound), col > 0, r > 0 else { return nil }
        row = r
        return CellAddress(row: row - 1, column: col - 1)
    }
}
