import Foundation

/// Scans an XML part while it is being inflated: a window of bytes slides over the entry,
/// so memory holds one chunk plus the construct in progress, however large the part.
/// Ranges in the events it returns are valid until the next call to `next()`.
final class XMLStream {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled = 0
    private var atEnd = false
    private var started = false
    private let entry: ZipEntryReader
    private let chunk: Int
    /// The largest single construct (tag, text run) accepted before the part is refused.
    private let maxConstruct: Int
    private let maxDepth: Int
    private let part: String
    /// The scanner over the current window: use it to read names, attributes and text.
    private(set) var scanner: XMLScanner

    init(entry: ZipEntryReader, part: String, maxDepth: Int, chunk: Int = 256 << 10, maxConstruct: Int = 8 << 20) {
        self.entry = entry
        self.part = part
        self.maxDepth = maxDepth
        self.chunk = chunk
        self.maxConstruct = maxConstruct
        capacity = chunk * 2
        storage = .allocate(capacity: capacity)
        scanner = XMLScanner(UnsafeBufferPointer(start: storage, count: 0), maxDepth: maxDepth, part: part, isFinal: false)
    }

    deinit { storage.deallocate() }

    func next() throws -> XMLEvent? {
        while true {
            if let event = try scanner.next() { return event }
            guard scanner.needsMore else { return nil }
            try refill()
        }
    }

    /// Moves what is not consumed to the front and reads the next chunk after it.
    private func refill() throws {
        let keep = filled - scanner.position
        if keep > 0 && scanner.position > 0 {
            storage.update(from: storage + scanner.position, count: keep)
        }
        if keep + chunk > capacity {
            guard keep <= maxConstruct else {
                throw XLSXError(.limitExceeded, "A single element in \(part) is larger than \(maxConstruct >> 20) MB; the file is refused.")
            }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: keep + chunk)
            bigger.update(from: storage, count: keep)
            storage.deallocate()
            storage = bigger
            capacity = keep + chunk
        }
        let n = try entry.read(into: UnsafeMutableRawBufferPointer(start: storage + keep, count: chunk))
        filled = keep + n
        atEnd = n == 0
        scanner = XMLScanner(UnsafeBufferPointer(start: storage, count: filled), maxDepth: maxDepth, part: part,
                             isFinal: atEnd, depth: scanner.depth, atDocumentStart: !started)
        started = true
    }
}
