// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RuralStatFiles
import RuralStatTesting
import Testing

@Suite("Durable moves and publications")
struct DurableFilesTests {
    /// A name the inbox holds that is not UTF-8 is moved by its bytes, into a folder made for it.
    @Test func aFileWhoseNameIsNotUTF8IsMovedByItsBytes() throws {
        let dir = try temporaryFolder()
        // "Báo cáo.xlsx" in Windows-1258 / Latin-1: á is the single byte 0xE1.
        let raw = Array(dir.utf8) + [UInt8(ascii: "/")] + Array("B".utf8) + [0xE1] + Array("o c".utf8) + [0xE1] + Array("o.xlsx".utf8)
        let fd = (raw + [0]).withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
        }
        #expect(fd >= 0)
        close(fd)
        try DurableFiles.move(raw: raw, to: dir + "/work/claimed.xlsx")
        #expect(FileManager.default.fileExists(atPath: dir + "/work/claimed.xlsx"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["work"])
        #expect(FileNames.display(Array(raw.suffix(12))) == "B\u{FFFD}o c\u{FFFD}o.xlsx")
    }

    @Test func aPublishedFileIsWholeAndLeavesNoTemporaryBehind() throws {
        let dir = try temporaryFolder()
        try DurableFiles.publish(dir + "/reports/a.txt", data: Data("một".utf8))
        try DurableFiles.publish(dir + "/reports/a.txt", data: Data("hai".utf8))
        #expect(try String(contentsOfFile: dir + "/reports/a.txt", encoding: .utf8) == "hai")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/reports") == ["a.txt"])
        // A publication that fails leaves the old file and no temporary.
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try DurableFiles.publish(dir + "/reports/a.txt") { temp in
                try Data("ba".utf8).write(to: URL(fileURLWithPath: temp))
                throw Refused()
            }
        }
        #expect(try String(contentsOfFile: dir + "/reports/a.txt", encoding: .utf8) == "hai")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/reports") == ["a.txt"])
    }

    @Test func aTakenNameGetsANumberBeforeItsExtension() throws {
        let dir = try temporaryFolder()
        #expect(DurableFiles.freeName(in: dir, "bc.xlsx") == dir + "/bc.xlsx")
        for name in ["bc.xlsx", "bc-2.xlsx"] { #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data())) }
        #expect(DurableFiles.freeName(in: dir, "bc.xlsx") == dir + "/bc-3.xlsx")
        try FileManager.default.createSymbolicLink(atPath: dir + "/README", withDestinationPath: "/nowhere")
        #expect(DurableFiles.freeName(in: dir, "README") == dir + "/README-2")
    }

    /// The temporaries of a writer that was killed are removed; a running writer's are kept.
    @Test func abandonedTemporariesAreRemovedAndLiveOnesKept() throws {
        let dir = try temporaryFolder()
        let stale = dir + "/2025-Q3/.tong-hop.xlsx" + DurableFiles.temporaryMark + "\(Int32.max)"
        let live = dir + "/.ban-sao.xlsx" + DurableFiles.temporaryMark + "\(getpid())"
        try DurableFiles.makeDirectory(dir + "/2025-Q3")
        for path in [stale, live] { #expect(FileManager.default.createFile(atPath: path, contents: Data("half".utf8))) }
        #expect(DurableFiles.removeAbandonedTemporaries(under: dir) == [stale])
        #expect(FileManager.default.fileExists(atPath: live))
    }
}
