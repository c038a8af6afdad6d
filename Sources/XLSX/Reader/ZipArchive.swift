// SPDX-License-Identifier: Apache-2.0
internal import CZip
import Foundation

/// A read-only zip archive opened with libzip. Owns the `zip_t`; entry names are only ever
/// looked up, never turned into paths.
final class ZipArchive {
    private var handle: OpaquePointer?
    private let limits: ReadLimits
    private var totalInflated = 0
    /// Entry index by normalised name (lower case, forward slashes, no leading slash).
    private(set) var entries: [String: Int] = [:]

    init(path: String, limits: ReadLimits) throws {
        self.limits = limits
        try Self.checkSignature(path: path, limits: limits)
        var err: Int32 = 0
        guard let za = zip_open(path, ZIP_RDONLY, &err) else {
            switch err {
            case ZIP_ER_NOZIP, ZIP_ER_INCONS, ZIP_ER_READ, ZIP_ER_EOF:
                // The file starts like a zip (checked above) but its directory at the end is
                // missing or inconsistent: the upload was cut short.
                throw XLSXError(.truncated, "The file is incomplete or damaged, probably an interrupted upload. Send it again.",
                                detail: "libzip error \(err)")
            case ZIP_ER_NOENT, ZIP_ER_OPEN:
                throw XLSXError(.io, "The file cannot be opened.", detail: "libzip error \(err)")
            default:
                throw XLSXError(.malformed, "The file is not a readable .xlsx workbook. Save it again as Excel Workbook (.xlsx).",
                                detail: "libzip error \(err)")
            }
        }
        handle = za
        let count = zip_get_num_entries(za, 0)
        guard count <= Int64(limits.maxEntries) else {
            throw XLSXError(.limitExceeded, "The workbook has too many parts (\(count)); the limit is \(limits.maxEntries).")
        }
        for i in 0..<count {
            guard let cname = zip_get_name(za, zip_uint64_t(i), ZIP_FL_ENC_GUESS) else { continue }
            let key = Self.normalise(String(cString: cname))
            if entries[key] != nil {
                throw XLSXError(.malformed, "The workbook contains the part \"\(key)\" twice; it may have been tampered with. Save it again from Excel or LibreOffice.")
            }
            entries[key] = Int(i)
        }
    }

    deinit {
        if let handle { zip_discard(handle) }
    }

    /// Lower-cased, forward slashes, no leading slash: how parts are matched.
    static func normalise(_ name: String) -> String {
        var s = name.replacingOccurrences(of: "\\", with: "/")
        while s.hasPrefix("/") { s.removeFirst() }
        return s.lowercased()
    }

    /// Reads the first bytes to tell an empty file, a legacy or encrypted Office file, or
    /// something that is not a workbook at all, from a zip, before libzip is asked.
    private static func checkSignature(path: String, limits: ReadLimits) throws {
        guard let fh = FileHandle(forReadingAtPath: path) else {
            throw XLSXError(.io, "The file cannot be opened.", detail: path)
        }
        defer { try? fh.close() }
        let size = (try? fh.seekToEnd()) ?? 0
        try? fh.seek(toOffset: 0)
        if size == 0 {
            throw XLSXError(.truncated, "The file is empty, probably an interrupted upload. Send it again.")
        }
        if size > UInt64(limits.maxFileBytes) {
            throw XLSXError(.limitExceeded, "The file is \(size >> 20) MB; the limit is \(limits.maxFileBytes >> 20) MB.")
        }
        let head = (try? fh.read(upToCount: 8)) ?? Data()
        let bytes = [UInt8](head)
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            // An OLE compound file: either a legacy .xls or an encrypted (password-protected) workbook.
            let sample = (try? fh.read(upToCount: 1 << 20)) ?? Data()
            let marker = Data("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            if sample.range(of: marker) != nil {
                throw XLSXError(.encrypted, "The workbook is protected with a password. Remove the password (File → Info → Protect Workbook) and send it again.")
            }
            throw XLSXError(.notAZip, "The file is an old Excel 97–2003 workbook (.xls). Save it as Excel Workbook (.xlsx) and send it again.")
        }
        if !bytes.starts(with: [0x50, 0x4B]) {
            throw XLSXError(.notAZip, "The file is not an .xlsx workbook (it may be a CSV or another format renamed). Save it as Excel Workbook (.xlsx) and send it again.")
        }
    }

    /// Opens one entry for streaming; nil when the package has no such part.
    func open(_ name: String) throws -> ZipEntryReader? {
        guard let index = entries[Self.normalise(name)], let za = handle else { return nil }
        var st = zip_stat_t()
        zip_stat_init(&st)
        guard zip_stat_index(za, zip_uint64_t(index), 0, &st) == 0 else {
            throw XLSXError(.malformed, "The part \(name) cannot be read.")
        }
        if (st.valid & UInt64(ZIP_STAT_ENCRYPTION_METHOD)) != 0 && st.encryption_method != UInt16(ZIP_EM_NONE) {
            throw XLSXError(.encrypted, "The workbook is protected with a password. Remove the password and send it again.")
        }
        let compressed = (st.valid & UInt64(ZIP_STAT_COMP_SIZE)) != 0 ? Int(st.comp_size) : 0
        guard let file = zip_fopen_index(za, zip_uint64_t(index), 0) else {
            throw XLSXError(.truncated, "The part \(name) is damaged; the file may be incomplete. Send it again.",
                            detail: String(cString: zip_strerror(za)))
        }
        return ZipEntryReader(file: file, name: name, compressed: compressed, archive: self)
    }

    /// Inflates one (small) entry whole; nil when absent.
    func read(_ name: String) throws -> [UInt8]? {
        guard let entry = try open(name) else { return nil }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try entry.read(into: $0) }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Counts inflated bytes across the whole package against the total cap.
    fileprivate func account(_ n: Int) throws {
        totalInflated += n
        if totalInflated > limits.maxTotalBytes {
            throw XLSXError(.limitExceeded, "The workbook is larger than \(limits.maxTotalBytes >> 20) MB when unpacked; the file is refused.")
        }
    }

    fileprivate var readLimits: ReadLimits { limits }
}

/// One entry being inflated. Every byte is counted as it arrives: the sizes in the zip's
/// headers are never trusted, so a zip bomb is stopped after a few megabytes.
final class ZipEntryReader {
    private var file: OpaquePointer?
    private let name: String
    private let compressed: Int
    private let archive: ZipArchive
    private var inflated = 0

    fileprivate init(file: OpaquePointer, name: String, compressed: Int, archive: ZipArchive) {
        self.file = file
        self.name = name
        self.compressed = compressed
        self.archive = archive
    }

    deinit {
        if let file { zip_fclose(file) }
    }

    /// Fills `buffer` with the next inflated bytes; returns how many (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let file else { return 0 }
        let n = zip_fread(file, buffer.baseAddress, zip_uint64_t(buffer.count))
        if n < 0 {
            throw XLSXError(.truncated, "The file is incomplete or damaged (part \(name)). Send it again.",
                            detail: String(cString: zip_file_strerror(file)))
        }
        let limits = archive.readLimits
        inflated += Int(n)
        try archive.account(Int(n))
        if inflated > limits.maxEntryBytes {
            throw XLSXError(.limitExceeded, "A part of the workbook (\(name)) is larger than \(limits.maxEntryBytes >> 20) MB when unpacked; the file is refused.")
        }
        if inflated > limits.ratioFloorBytes, compressed > 0, inflated / compressed > limits.maxCompressionRatio {
            throw XLSXError(.limitExceeded, "A part of the workbook (\(name)) unpacks to more than \(limits.maxCompressionRatio) times its size, as a zip bomb does; the file is refused.")
        }
        return Int(n)
    }
}
