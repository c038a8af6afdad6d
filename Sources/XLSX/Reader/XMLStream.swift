// SPDX-License-Identifier: Apache-2.0
/// Scans an XML part while it is being inflated: a window of bytes slides over the entry,
/// so memory holds one chunk plus the construct in progress, however large the part.
/// Ranges in the events it returns are valid until the next call to `next()`.
///
/// A struct, used as a local variable, so the hot loop pays no dynamic exclusivity checks;
/// the bytes live in a `StreamWindow` it shares.
struct XMLStream {
    private let window: StreamWindow
    /// The scanner over the current window: use it to read names, attributes and text.
    private(set) var scanner: XMLScanner

    init(entry: ZipEntryReader, part: String, maxDepth: Int, chunk: Int = 256 << 10, maxConstruct: Int = 8 << 20) {
        window = StreamWindow(entry: entry, part: part, maxDepth: maxDepth, chunk: chunk, maxConstruct: maxConstruct)
        scanner = XMLScanner(UnsafeBufferPointer(start: nil, count: 0), maxDepth: maxDepth, isFinal: false)
    }

    /// See `XMLScanner.takeSimpleValue()`.
    @inline(__always) mutating func takeSimpleValue() -> Range<Int>? {
        scanner.takeSimpleValue()
    }

    mutating func next() throws -> XMLEvent? {
        do {
            while true {
                if let event = try scanner.next() { return event }
                guard scanner.needsMore else { return nil }
                scanner = try window.refill(consumed: scanner.position, depth: scanner.depth, namespaces: scanner.namespaces)
            }
        } catch let e as XLSXError {
            throw e.inPart(window.part)
        }
    }
}

/// The bytes under an `XMLStream`: one chunk plus whatever construct runs across its end,
/// always UTF-8 (a part in another encoding is transcoded as it is read).
final class StreamWindow {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled = 0
    private var started = false
    private let entry: ZipEntryReader
    private let chunk: Int
    /// The largest single construct (tag, text run) accepted before the part is refused.
    private let maxConstruct: Int
    private let maxDepth: Int
    /// Set when the part is not UTF-8; raw bytes are read into `raw` and transcoded.
    private var transcoder: XMLTranscoder?
    private var raw: [UInt8] = []
    let part: String

    init(entry: ZipEntryReader, part: String, maxDepth: Int, chunk: Int, maxConstruct: Int) {
        self.entry = entry
        self.part = part
        self.maxDepth = maxDepth
        self.chunk = chunk
        self.maxConstruct = maxConstruct
        capacity = chunk * 2
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// Moves what is not consumed to the front, reads the next chunk after it, and returns a
    /// scanner over the new window.
    func refill(consumed: Int, depth: Int, namespaces: NamespaceScope) throws -> XMLScanner {
        let keep = filled - consumed
        if keep > 0 && consumed > 0 {
            storage.update(from: storage + consumed, count: keep)
        }
        filled = keep
        guard keep <= maxConstruct else {
            throw XLSXError(.limitExceeded, "A single element in {part} is larger than \(maxConstruct >> 20) MB; the file is refused.")
        }
        let atEnd: Bool
        if !started {
            started = true
            atEnd = try start()
        } else if transcoder != nil {
            // Raw pieces of half a chunk: transcoded, they fill at most a chunk (UTF-16 gives
            // at most 3 bytes for 2, Latin-1 at most 2 for 1).
            raw.removeAll(keepingCapacity: true)
            let n = try readRaw(max(chunk / 2, 2))
            ensure(room: XMLTranscoder.capacity(forInput: n))
            filled += raw.withUnsafeBufferPointer { transcoder!.transcode($0, into: storage + filled) }
            atEnd = n == 0
            if atEnd { try transcoder!.finish() }
        } else {
            ensure(room: chunk)
            let n = try entry.read(into: UnsafeMutableRawBufferPointer(start: storage + filled, count: chunk))
            filled += n
            atEnd = n == 0
        }
        return XMLScanner(UnsafeBufferPointer(start: storage, count: filled), maxDepth: maxDepth,
                          isFinal: atEnd, depth: depth, atDocumentStart: false, namespaces: namespaces)
    }

    /// Reads the head of the part until its encoding can be told, then puts it in the window
    /// as UTF-8 without its byte order mark. Returns true when the part ended.
    private func start() throws -> Bool {
        var atEnd = false
        var found: (XMLEncoding, bom: Int)?
        while found == nil {
            let n = try readRaw(max(chunk, 4))
            atEnd = n == 0
            found = try raw.withUnsafeBufferPointer { try XMLEncoding.detect($0, atEnd: atEnd) }
        }
        let (encoding, bom) = found!
        if encoding == .utf8 {
            ensure(room: raw.count)
            if raw.count > bom {
                raw.withUnsafeBufferPointer { storage.update(from: $0.baseAddress! + bom, count: $0.count - bom) }
            }
            filled = max(raw.count - bom, 0)
        } else {
            transcoder = XMLTranscoder(encoding)
            ensure(room: XMLTranscoder.capacity(forInput: raw.count))
            filled = raw.withUnsafeBufferPointer { transcoder!.transcode(UnsafeBufferPointer(rebasing: $0[bom...]), into: storage) }
            if atEnd { try transcoder!.finish() }
        }
        raw.removeAll(keepingCapacity: true)
        return atEnd
    }

    /// Appends up to `count` bytes of the entry to `raw`; returns how many came.
    private func readRaw(_ count: Int) throws -> Int {
        let before = raw.count
        raw.append(contentsOf: repeatElement(0, count: count))
        let n = try raw.withUnsafeMutableBytes { try entry.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[before...])) }
        raw.removeLast(count - n)
        return n
    }

    /// Makes room for `room` more bytes after what the window holds; a construct that would
    /// need more than `maxConstruct` is refused.
    private func ensure(room: Int) {
        guard filled + room > capacity else { return }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: filled + room)
        bigger.update(from: storage, count: filled)
        storage.deallocate()
        storage = bigger
        capacity = filled + room
    }
}
