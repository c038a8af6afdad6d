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
                scanner = try window.refill(consumed: scanner.position, depth: scanner.depth)
            }
        } catch let e as XLSXError {
            throw e.inPart(window.part)
        }
    }
}

/// The bytes under an `XMLStream`: one chunk plus whatever construct runs across its end.
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
    func refill(consumed: Int, depth: Int) throws -> XMLScanner {
        let keep = filled - consumed
        if keep > 0 && consumed > 0 {
            storage.update(from: storage + consumed, count: keep)
        }
        if keep + chunk > capacity {
            guard keep <= maxConstruct else {
                throw XLSXError(.limitExceeded, "A single element in {part} is larger than \(maxConstruct >> 20) MB; the file is refused.")
            }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: keep + chunk)
            bigger.update(from: storage, count: keep)
            storage.deallocate()
            storage = bigger
            capacity = keep + chunk
        }
        let n = try entry.read(into: UnsafeMutableRawBufferPointer(start: storage + keep, count: chunk))
        filled = keep + n
        let atEnd = n == 0
        // A byte order mark is looked for once the first three bytes are in (tiny chunks
        // can deliver it in pieces); nothing is consumed before that, as no construct fits.
        let atStart = !started && (filled >= 3 || atEnd)
        if atStart { started = true }
        return XMLScanner(UnsafeBufferPointer(start: storage, count: filled), maxDepth: maxDepth,
                          isFinal: atEnd, depth: depth, atDocumentStart: atStart)
    }
}
