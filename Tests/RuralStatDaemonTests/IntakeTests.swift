import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RuralStatCore
import Testing
import XLSX
@testable import RuralStatDaemon
@testable import RuralStatConfig
@testable import RuralStatFiles

@Suite("Intake pieces")
struct IntakeTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesTheStandardVectors(_ input: String, _ digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func sha256OfAMillionBytesFedInPieces() {
        var h = SHA256()
        for _ in 0..<1000 { h.update([UInt8](repeating: 0x61, count: 1000)) }
        #expect(h.finalize().map { String(format: "%02x", $0) }.joined() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: ["~$bao-cao.xlsx", ".~lock.bao-cao.xlsx#", "bao-cao.tmp", "A1B2C3D4", "upload.xlsx.part",
                      "._bao-cao.xlsx", ".DS_Store", ".bao-cao.xlsx.Ab12Cd", "bao-cao.xlsx.filepart"])
    func officeLockAndTempFilesAreIgnored(_ name: String) {
        #expect(InboxScanner.isIgnored(name))
    }

    /// A dot-file that is a spreadsheet is a unit's file (`..xlsx` is what "save as .xlsx" with
    /// an empty name gives), not junk to leave in the inbox for ever.
    @Test(arguments: ["bao-cao-11311-2025-Q3.xlsx", "Báo cáo quý 3.xlsx", "report.xlsm", "README", "..xlsx", ".xlsx", ".bao-cao.xlsx"])
    func ordinaryNamesAreNotIgnored(_ name: String) {
        #expect(!InboxScanner.isIgnored(name))
    }

    @Test func scanReadsNamesThatAreNotUTF8AsBytes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ruralstat-bytes-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // "Báo cáo.xlsx" in Windows-1258 / Latin-1: á is the single byte 0xE1.
        let raw: [UInt8] = Array("B".utf8) + [0xE1] + Array("o c".utf8) + [0xE1] + Array("o.xlsx".utf8)
        let fd = (Array(dir.utf8) + [UInt8(ascii: "/")] + raw + [0]).withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
        }
        #expect(fd >= 0)
        close(fd)
        let found = InboxScanner.scan(dir, unitFolders: false)
        #expect(found.count == 1)
        #expect(found.first?.name == "B\u{FFFD}o c\u{FFFD}o.xlsx")
        #expect(found.first?.location == Array(dir.utf8) + [UInt8(ascii: "/")] + raw)
        // The claim renames it by its bytes.
        try DurableFiles.move(raw: found[0].location, to: dir + "/claimed.xlsx")
        #expect(FileManager.default.fileExists(atPath: dir + "/claimed.xlsx"))
    }

    @Test func derivedNamesFitTheFileSystemAndKeepTheExtension() {
        let long = "Báo cáo tình hình phát triển công nghiệp nông thôn và khuyến công quý III năm 2026 của UBND xã Cẩm Giàng tỉnh Hải Dương cũ nay là thành phố Hải Phòng gửi Sở Công Thương thành phố Hải Phòng.xlsx"
        #expect(long.utf8.count > 230)
        let stored = FileNames.fit(long, prefix: "20261130-101500-1a2b3c4d-")
        #expect(stored.utf8.count <= FileNames.maxBytes - FileNames.reserve)
        #expect(stored.hasPrefix("20261130-101500-1a2b3c4d-Báo cáo tình hình"))
        #expect(stored.hasSuffix("….xlsx"))
        let feedback = FileNames.fit("Báo cáo " + String(repeating: "ư", count: 120), suffix: ".20261130-101500-1a2b3c4d.tiep-nhan.txt")
        #expect(feedback.utf8.count <= FileNames.maxBytes - FileNames.reserve)
        #expect(feedback.hasSuffix("….20261130-101500-1a2b3c4d.tiep-nhan.txt"))
        // Short names are kept as they are; control characters and a leading dot are not.
        #expect(FileNames.fit("bao-cao.xlsx") == "bao-cao.xlsx")
        #expect(FileNames.fit("a\nb\u{1B}c.xlsx") == "a_b_c.xlsx")
        #expect(FileNames.fit("..xlsx") == "_.xlsx")
        // Only whole characters are cut: the result is valid UTF-8 however the budget falls.
        for n in 200...260 {
            let name = String(repeating: "ệ", count: n / 3) + ".xlsx"
            let fitted = FileNames.fit(name)
            #expect(fitted.utf8.count <= FileNames.maxBytes - FileNames.reserve)
            #expect(String(validatingCString: fitted.utf8CString.map { $0 }) == fitted)
        }
    }

    @Test func aPeriodAfterTheQuarterInProgressOrBeforeTheFirstIsRefused() throws {
        // 30 November 2026, 20:00 UTC is already 1 December in Vietnam: still Q4.
        let at = Date(timeIntervalSince1970: 1_796_068_800)
        let window = PeriodWindow(first: Period("2024-Q1"))
        #expect(window.last(at: at) == Period("2026-Q4"))
        #expect(window.check(Period("2026-Q4")!, at: at, sheet: nil, cell: nil) == nil)
        #expect(window.check(Period("2024-Q1")!, at: at, sheet: nil, cell: nil) == nil)
        #expect(window.check(Period("2099-Q3")!, at: at, sheet: "Bìa", cell: "C5")?.rule == "cover.period_future")
        #expect(window.check(Period("2027-Q1")!, at: at, sheet: nil, cell: nil)?.rule == "cover.period_future")
        #expect(window.check(Period("2023-Q4")!, at: at, sheet: nil, cell: nil)?.rule == "cover.period_too_early")
        #expect(PeriodWindow(quartersAhead: 1).check(Period("2027-Q1")!, at: at, sheet: nil, cell: nil) == nil)
    }

    @Test func scanTakesRegularFilesOnlyAndReportsTheRest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ruralstat-scan-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir + "/11311", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/a.xlsx", contents: Data("x".utf8)))
        #expect(FileManager.default.createFile(atPath: dir + "/~$a.xlsx", contents: Data("x".utf8)))
        #expect(FileManager.default.createFile(atPath: dir + "/11311/b.xlsx", contents: Data("xy".utf8)))
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.xlsx", withDestinationPath: "/etc/passwd")
        #expect(mkfifo(dir + "/pipe.xlsx", 0o600) == 0)
        var skipped: [String] = []
        let flat = InboxScanner.scan(dir, unitFolders: false) { path, _ in skipped.append((path as NSString).lastPathComponent) }
        #expect(flat.map(\.name) == ["a.xlsx"])
        #expect(Set(skipped) == ["link.xlsx", "pipe.xlsx"])
        let nested = InboxScanner.scan(dir, unitFolders: true).sorted { $0.name < $1.name }
        #expect(nested.map(\.name) == ["a.xlsx", "b.xlsx"])
        #expect(nested.map(\.unitFolder) == [nil, "11311"])
        #expect(nested.map(\.size) == [1, 2])
    }

    @Test func aFileIsReadyOnlyWhenUnchangedAndOlderThanTheSettleTime() {
        var tracker = SettleTracker(settleSeconds: 2)
        let entry = InboxEntry(path: "/in/a.xlsx", name: "a.xlsx", unitFolder: nil, size: 100, modified: 1000)
        #expect(tracker.observe([entry], now: 1000.5).isEmpty)          // first look
        #expect(tracker.observe([entry], now: 1001).isEmpty)            // unchanged but too young
        var grown = entry
        grown.size = 200
        grown.modified = 1001.5
        #expect(tracker.observe([grown], now: 1002).isEmpty)            // still growing
        #expect(tracker.observe([grown], now: 1003).isEmpty)            // 1.5 s old
        #expect(tracker.observe([grown], now: 1003.6) == [grown])       // settled
        #expect(tracker.observe([], now: 1004).isEmpty)
        #expect(tracker.waiting == 0)
    }

    @Test func configurationResolvesPathsAgainstItsFolderAndRefusesDuplicates() throws {
        let yaml = """
            province: {name: "Tỉnh Thử", parent_body: "UBND TỈNH THỬ", issuing_body: "SỞ CÔNG THƯƠNG"}
            units:
              - {code: U01, name: "Huyện Một"}
            paths: {root: data, inbox: /srv/share/inbox}
            intake: {settle_seconds: 5, unit_folders: true}
            limits: {max_file_mb: 10}
            """
        let c = try Configuration.parse(yaml: yaml, file: "/etc/ruralstat/ruralstat.yaml")
        #expect(c.paths.inbox == "/srv/share/inbox")
        #expect(c.paths.archive == "/etc/ruralstat/data/archive")
        #expect(c.paths.database == "/etc/ruralstat/data/state/ruralstat.sqlite")
        #expect(c.schemaPath == "/etc/ruralstat/templates/quarterly-v1.yaml")
        #expect(c.intake.settleSeconds == 5)
        #expect(c.intake.unitFolders)
        #expect(c.limits.maxFileBytes == 10 << 20)
        #expect(c.province.place == "Tỉnh Thử")
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(yaml: yaml.replacingOccurrences(of: "  - {code: U01, name: \"Huyện Một\"}",
                                                                     with: "  - {code: U01, name: a}\n  - {code: u01, name: b}"), file: "/x.yaml")
        }
    }

    @Test func theShippedExampleConfigurationLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let c = try Configuration.load(path: root.appendingPathComponent("systemd/ruralstat.yaml").path)
        #expect(c.paths.inbox == "/srv/ruralstat/inbox")
        #expect(c.paths.database == "/var/lib/ruralstat/ruralstat.sqlite")
        #expect(c.intake.unitFolders)
        #expect(c.province.units.count == 4)
    }
}
