// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RuralStatFiles
import RuralStatTesting
import Testing
@testable import RuralStatDaemon

@Suite("The inbox: what is taken, and when")
struct IntakeTests {
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

    /// The owner file an editor keeps beside an open workbook, as Excel (the whole name, or its
    /// first one or two characters dropped), Word and LibreOffice name it, whatever the case.
    @Test(arguments: [("bao-cao.xlsx", "~$bao-cao.xlsx"), ("bao-cao.xlsx", "~$o-cao.xlsx"), ("bao-cao.xlsx", "~$ao-cao.xlsx"),
                      ("BAO-CAO.XLSX", "~$bao-cao.xlsx"), ("bao-cao.xlsx", ".~lock.bao-cao.xlsx#"), ("Báo cáo quý 3.xlsx", "~$o cáo quý 3.xlsx")])
    func anEditorsOwnerFileIsFoundBesideItsWorkbook(name: String, owner: String) {
        #expect(OwnerFile.of(name, among: [OwnerFile(name: owner, modified: 0)])?.name == owner)
    }

    @Test(arguments: [("bao-cao.xlsx", "~$khac.xlsx"), ("bao-cao.xlsx", "~$cao.xlsx"), ("bao-cao.xlsx", ".~lock.bao-cao.xls#"),
                      ("bao-cao.xlsx", "~$"), ("x-bao-cao.xlsx", ".~lock.bao-cao.xlsx#")])
    func anotherFilesOwnerFileIsNot(name: String, owner: String) {
        #expect(OwnerFile.of(name, among: [OwnerFile(name: owner, modified: 0)]) == nil)
    }

    @Test func theScanTellsWhichWorkbookHasAnOwnerFileBesideIt() throws {
        let dir = try temporaryFolder()
        for name in ["bao-cao.xlsx", "~$bao-cao.xlsx", "khac.xlsx"] {
            #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("x".utf8)))
        }
        let found = InboxScanner.scan(dir, unitFolders: false)
        #expect(found.map(\.name) == ["bao-cao.xlsx", "khac.xlsx"])
        #expect(found.first?.ownerFile?.name == "~$bao-cao.xlsx" && found.last?.ownerFile == nil)
    }

    @Test func scanReadsNamesThatAreNotUTF8AsBytes() throws {
        let dir = try temporaryFolder()
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

    @Test func scanTakesRegularFilesOnlyAndReportsTheRest() throws {
        let dir = try temporaryFolder()
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

    /// A file whose time is a day ahead (a clerk's PC clock, kept by a Windows copy) settles on
    /// the daemon's own clock: still for the settle time since first seen, it is ready.
    @Test func aFileDatedInTheFutureSettlesOnTheDaemonsClock() {
        var tracker = SettleTracker(settleSeconds: 2)
        let entry = InboxEntry(path: "/in/a.xlsx", name: "a.xlsx", unitFolder: nil, size: 100, modified: 1000 + 86_400)
        #expect(tracker.observe([entry], now: 1000).isEmpty)
        #expect(tracker.secondsToNextLook(now: 1000) == 2)
        #expect(tracker.observe([entry], now: 1001).isEmpty)
        #expect(tracker.observe([entry], now: 1002) == [entry])
    }
}
