// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif
import CellModel

/// A narrow pull tokenizer for the SpreadsheetML subset: elements, attributes, text, CDATA,
/// comments and processing instructions, with names resolved to namespaces. Any DTD is
/// refused outright, so no entity is ever expanded; nesting is capped. It works on UTF-8
/// bytes (see `XMLEncoding` for the others) and allocates only for strings asked for.
/// The XML rules it follows are listed, with their tests, in README.md next to it.
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
    /// The namespace declarations in scope; carried from window to window.
    private(set) var namespaces: NamespaceScope

    /// Errors name the part as `{part}`: the caller fills it in (see `XLSXError.inPart`), so
    /// the scanner holds no reference-counted value and copies for free.
    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, isFinal: Bool = true,
         depth: Int = 0, atDocumentStart: Bool = true, namespaces: NamespaceScope = NamespaceScope()) {
        b = bytes
        self.maxDepth = maxDepth
        self.isFinal = isFinal
        self.depth = depth
        self.namespaces = namespaces
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

    /// Index of the first `byte` at or after `from` and before `end` (the window's end by
    /// default), or nil; memchr is vectorised in libc.
    @inline(__always) private func index(of byte: UInt8, from: Int, before end: Int? = nil) -> Int? {
        let limit = end ?? b.count
        guard from < limit, let base = b.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), limit - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Index of the first occurrence of `pattern` at or after `from` and ending before `end`
    /// (the window's end by default), or nil.
    private func find(_ pattern: StaticString, from: Int, before end: Int? = nil) -> Int? {
        let p = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        let limit = end ?? b.count
        var j = from
        while let hit = index(of: p[0], from: j, before: limit) {
            guard hit + p.count <= limit else { return nil }
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

    /// The local part of a qualified name (what follows the ':') and the namespace its
    /// prefix is bound to, or the default namespace when it has none.
    @inline(__always) private func resolve(_ start: Int, _ end: Int) -> (Range<Int>, XMLNamespace) {
        var s = start
        for j in start..<end where b[j] == UInt8(ascii: ":") { s = j + 1 }
        if s == start { return (start..<end, namespaces.defaultNamespace) }
        return (s..<end, namespaces.resolve(UnsafeBufferPointer(rebasing: b[start..<(s - 1)])))
    }

    /// Takes in the `xmlns` and `xmlns:p` attributes of a start tag, for the element at `depth`.
    private mutating func declareNamespaces(_ attributes: Range<Int>, depth: Int) {
        var found: [(Range<Int>, XMLNamespace)] = []
        forEachQualifiedAttribute(attributes) { name, value in
            guard name.count >= 5, equals(name.lowerBound..<(name.lowerBound + 5), "xmlns") else { return }
            if name.count == 5 {
                found.append((name.upperBound..<name.upperBound, XMLNamespace(uri: decodeAttribute(value))))
            } else if b[name.lowerBound + 5] == UInt8(ascii: ":") {
                found.append(((name.lowerBound + 6)..<name.upperBound, XMLNamespace(uri: decodeAttribute(value))))
            }
        }
        for (prefix, namespace) in found {
            namespaces.declare(prefix: UnsafeBufferPointer(rebasing: b[prefix]), namespace: namespace, depth: depth)
        }
    }

    /// True for the bytes a start tag's loop acts on outside values: `"`, `'`, `>` and `x`;
    /// one bit test, so the common byte costs what it did before namespaces were looked for.
    @inline(__always) private static func isTagSpecial(_ c: UInt8) -> Bool {
        let low: UInt64 = 1 << 0x22 | 1 << 0x27 | 1 << 0x3E
        let high: UInt64 = 1 << (0x78 - 64)
        return c < 128 && ((c < 64 ? low : high) >> UInt64(c & 63)) & 1 != 0
    }

    @inline(__always) private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
    }

    /// The next event, or nil at the end of the window (`needsMore` then says whether the
    /// document goes on). The tokenizer's core loop, kept whole at 89 lines: split into an
    /// end-tag and a start-tag step, even marked @inline(__always), the reading benchmark ran
    /// 3 % more instructions (callgrind).
    mutating func next() throws -> XMLEvent? {
        needsMore = false
        // The declarations of the element that just ended (or closed itself) end now, not
        // when its event was returned: its name and attributes were resolved with them.
        if namespaces.deepest > depth { namespaces.leave(depth: depth) }
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
                let (name, namespace) = resolve(nameStart, j)
                return .end(name: name, namespace: namespace)
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
            // An 'x' outside values may start an `xmlns` declaration: only then are they looked for.
            var mayDeclare = false
            while j < b.count {
                let ch = b[j]
                if quote != 0 {
                    if ch == quote { quote = 0 }
                } else if Self.isTagSpecial(ch) {
                    if ch == UInt8(ascii: ">") { break }
                    if ch == UInt8(ascii: "x") { mayDeclare = true } else { quote = ch }
                }
                j += 1
            }
            guard j < b.count else { return try incomplete(start, "unclosed tag") }
            let selfClosing = j > nameEnd && b[j - 1] == UInt8(ascii: "/")
            let attrEnd = selfClosing ? j - 1 : j
            i = j + 1
            // Declarations belong to this element, one level below its parent's content.
            if mayDeclare, find("xmlns", from: nameEnd, before: attrEnd) != nil {
                declareNamespaces(nameEnd..<attrEnd, depth: depth + 1)
            }
            if !selfClosing {
                depth += 1
                if depth > maxDepth {
                    throw XLSXError(.limitExceeded, "The workbook nests elements deeper than \(maxDepth) levels in {part}; the file is refused.")
                }
            }
            let (name, namespace) = resolve(nameStart, nameEnd)
            return .start(XMLTag(name: name, attributes: nameEnd..<attrEnd, selfClosing: selfClosing, namespace: namespace))
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

    /// The raw (still escaped) value range of the unprefixed attribute `name`, or of the
    /// attribute `name` in `namespace` (such as `r:id`, under whatever prefix).
    func attributeRange(_ name: StaticString, namespace: XMLNamespace = .none, in tag: XMLTag) -> Range<Int>? {
        var found: Range<Int>?
        forEachQualifiedAttribute(tag.attributes) { qname, v in
            guard found == nil, qname.count >= name.utf8CodeUnitCount else { return }
            let local = (qname.upperBound - name.utf8CodeUnitCount)..<qname.upperBound
            guard equals(local, name) else { return }
            if local.lowerBound == qname.lowerBound {
                if namespace == .none { found = v }
            } else if b[local.lowerBound - 1] == UInt8(ascii: ":"), namespace != .none,
                      namespaces.resolve(UnsafeBufferPointer(rebasing: b[qname.lowerBound..<(local.lowerBound - 1)])) == namespace {
                found = v
            }
        }
        return found
    }

    /// The value of an attribute (see `attributeRange`), references decoded and whitespace
    /// normalised as XML 1.0 §3.3.3 says.
    func attribute(_ name: StaticString, namespace: XMLNamespace = .none, in tag: XMLTag) -> String? {
        attributeRange(name, namespace: namespace, in: tag).map { decodeAttribute($0) }
    }

    /// Decodes character data: line ends normalised (XML 1.0 §2.11, CDATA too), then the five
    /// predefined entities and character references.
    func decode(_ range: Range<Int>, raw: Bool) -> String {
        let slice = UnsafeBufferPointer(rebasing: b[range])
        if !Self.needsDecoding(slice, references: !raw) {
            return String(decoding: slice, as: UTF8.self)
        }
        var out: [UInt8] = []
        Self.appendDecoded(slice, to: &out, references: !raw, attribute: false)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes an attribute value: line ends, tabs and line feeds become spaces (§3.3.3),
    /// then references are decoded, so `&#10;` and `&#9;` keep their character.
    func decodeAttribute(_ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: b[range])
        var plain = true
        for c in slice where c == UInt8(ascii: "&") || c == 0x0D || c == 0x0A || c == 0x09 { plain = false; break }
        if plain { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        Self.appendDecoded(slice, to: &out, references: true, attribute: true)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends character data to `out`, decoded as `decode` does.
    func appendText(_ range: Range<Int>, raw: Bool, to out: inout [UInt8]) {
        let slice = UnsafeBufferPointer(rebasing: b[range])
        if !Self.needsDecoding(slice, references: !raw) {
            out.append(contentsOf: slice)
        } else {
            Self.appendDecoded(slice, to: &out, references: !raw, attribute: false)
        }
    }

    /// Calls `body` with the qualified name and raw value range of each attribute of `tag`.
    /// The hot path matches one-letter names, which no prefixed name or `xmlns` can equal;
    /// use `attribute(_:namespace:in:)` for anything else.
    @inline(__always)
    func forEachAttribute(in tag: XMLTag, _ body: (Range<Int>, Range<Int>) -> Void) {
        forEachQualifiedAttribute(tag.attributes, body)
    }

    /// Calls `body` with the qualified name and raw value range of each attribute in `attributes`.
    @inline(__always)
    private func forEachQualifiedAttribute(_ attributes: Range<Int>, _ body: (Range<Int>, Range<Int>) -> Void) {
        var j = attributes.lowerBound
        let end = attributes.upperBound
        while j < end {
            while j < end && Self.isSpace(b[j]) { j += 1 }
            let nameStart = j
            while j < end && b[j] != UInt8(ascii: "=") && !Self.isSpace(b[j]) { j += 1 }
            let nameRange = nameStart..<j
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

    /// An integer attribute value, parsed in place; decoded first only when that fails and
    /// it holds a reference (`r="&#51;"`), so the common case costs nothing more.
    @inline(__always) func integerAttribute(_ range: Range<Int>) -> Int? {
        if let v = integer(range) { return v }
        guard hasReference(range) else { return nil }
        return Int(decodeAttribute(range))
    }

    /// A cell reference attribute such as `B7`, parsed like `integerAttribute`.
    @inline(__always) func cellAddressAttribute(_ range: Range<Int>) -> CellAddress? {
        if let a = cellAddress(range) { return a }
        guard hasReference(range) else { return nil }
        return CellAddress(a1: decodeAttribute(range))
    }

    /// True when the bytes in `range` hold an '&'.
    func hasReference(_ range: Range<Int>) -> Bool {
        for k in range where b[k] == UInt8(ascii: "&") { return true }
        return false
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
