// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

@Suite("Hostile and broken files", .serialized, .tags(.endToEnd))
struct HostileFileTests {
    /// Each file from `make_hostile.py` and words its refusal must contain.
    static let cases: [(String, String)] = [
        ("csv-renamed.xlsx", "not an .xlsx workbook"),
        ("empty.xlsx", "empty"),
        ("truncated.xlsx", "incomplete"),
        ("legacy.xlsx", "97–2003"),
        ("password.xlsx", "password"),
        ("billion-laughs.xlsx", "DTD"),
        ("external-entity.xlsx", "DTD"),
        ("deep-nesting.xlsx", "nests elements deeper"),
        ("zip-bomb.xlsx", "refused"),
        ("huge-tag.xlsx", "refused"),
        ("too-many-cells.xlsx", "refused"),
        ("long-string.xlsx", "32767"),
        ("bad-shared-index.xlsx", "shared string"),
        ("no-sheet-part.xlsx", "missing from the file"),
        ("no-workbook.xlsx", "no workbook"),
        ("too-many-entries.xlsx", "too many parts"),
        ("duplicate-entries.xlsx", "twice"),
    ]

    static let folder: String = {
        let dir = try! temporaryFolder("hostile")
        _ = try? Binary.python("make_hostile.py", [dir])
        return dir
    }()

    struct Measured: Decodable {
        var status: Int32
        var seconds: Double
        var rss_mb: Double
        var stdout: String
        var stderr: String
    }

    func measure(_ arguments: [String]) throws -> Measured {
        guard FileManager.default.isExecutableFile(atPath: Binary.releasePath) else { throw BinaryMissing(path: Binary.releasePath) }
        let r = try Binary.python("measure.py", [Binary.releasePath] + arguments)
        return try JSONDecoder().decode(Measured.self, from: Data(r.stdout.utf8))
    }

    @Test(arguments: cases)
    func isRefusedQuicklyInBoundedMemoryWithAPlainMessage(_ name: String, _ words: String) throws {
        let path = Self.folder + "/" + name
        #expect(FileManager.default.fileExists(atPath: path), "make_hostile.py did not make \(name)")
        let m = try measure(["inspect", path])
        #expect(m.status == 2, "\(name): exit \(m.status)")
        #expect(m.stderr.contains(words), "\(name): \(m.stderr)")
        #expect(m.seconds < 2, "\(name) took \(m.seconds) s")
        #expect(m.rss_mb < 100, "\(name) peaked at \(m.rss_mb) MB")
    }

    @Test func aDeclaredHugeRangeWithOneCellIsReadWithoutAllocatingIt() throws {
        let m = try measure(["inspect", Self.folder + "/huge-dimension.xlsx", "--format", "csv"])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(m.rss_mb < 100, "peaked at \(m.rss_mb) MB")
        let lines = m.stdout.components(separatedBy: "\r\n")
        #expect(lines.count == 1 + 1_048_576 + 1)
        #expect(lines[1_048_576].hasSuffix(",1"))
        #expect(lines[1_048_576].count == 16_383 + 1)
    }

    @Test func validateTellsTheClerkToSendAnXLSX() throws {
        let r = try Binary.run(["validate", Self.folder + "/legacy.xlsx"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("Lưu thành → Excel Workbook (.xlsx)"))
    }
}
