// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a Samba share really delivers, dropped into the inbox of the running daemon: each
/// kind of arrival must end where it belongs, and nothing may be half-read.
@Suite("What arrives in the inbox, through the running daemon", .serialized, .tags(.endToEnd))
struct InboxCasesTests {
    @Test func eachKindOfArrivalHasItsOutcome() throws {
        let made = try TestSite.demo(.settleSeconds(1), .scanIntervalSeconds(1), .unitFolders, .arrivalGraceSeconds(3))
        let dir = made.dir, site = made.root, config = made.config
        func form(_ unit: String, seed: Int) throws -> Data {
            let out = dir + "/\(unit)-\(seed).xlsx"
            try made.fill(unit: unit, seed: seed, to: out)
            return try Data(contentsOf: URL(fileURLWithPath: out))
        }
        let hdg = try form("10525", seed: 1), cli = try form("10546", seed: 2), cliOther = try form("10546", seed: 3)
        let inbox = site + "/var/inbox"
        let fm = FileManager.default
        try fm.createDirectory(atPath: inbox + "/10525", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: inbox + "/10546", withIntermediateDirectories: true)

        let log = dir + "/daemon.log"
        #expect(fm.createFile(atPath: log, contents: nil))
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: Binary.path)
        daemon.arguments = ["serve", "--config", config]
        daemon.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        daemon.standardOutput = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        #expect(waitFor(20) { logText().contains("ruralstat started") })

        // A client that died mid-upload: half the bytes under the final name.
        try hdg.prefix(hdg.count / 2).write(to: URL(fileURLWithPath: inbox + "/10525/10525-dang-tai.xlsx"))
        // A slow upload: a piece every 0.4 s, each pause shorter than the settle time.
        let growing = inbox + "/10546/10546-cham.xlsx"
        #expect(fm.createFile(atPath: growing, contents: nil))
        let writer = Thread {
            guard let h = FileHandle(forWritingAtPath: growing) else { return }
            let step = cli.count / 8 + 1
            for start in stride(from: 0, to: cli.count, by: step) {
                h.write(cli.subdata(in: start..<min(cli.count, start + step)))
                Thread.sleep(forTimeInterval: 0.4)
            }
            try? h.close()
        }
        writer.start()
        // A link, a pipe, Office's lock and temporary files, macOS's and rsync's hidden files.
        try hdg.write(to: URL(fileURLWithPath: dir + "/elsewhere.xlsx"))
        try fm.createSymbolicLink(atPath: inbox + "/lien-ket.xlsx", withDestinationPath: dir + "/elsewhere.xlsx")
        #expect(mkfifo(inbox + "/ong.xlsx", 0o644) == 0)
        let ignored = ["~$bao-cao.xlsx", ".~lock.bao-cao.xlsx#", "bao-cao.tmp", "._an.xlsx", ".an.xlsx.Gh5s2a", "A1B2C3D4"]
        for name in ignored { try hdg.write(to: URL(fileURLWithPath: inbox + "/" + name)) }
        // 100 MB, over the 64 MB cap (sparse: it costs no disk).
        let big = inbox + "/10525/qua-lon.xlsx"
        #expect(fm.createFile(atPath: big, contents: nil))
        #expect(truncate(big, 100 << 20) == 0)
        // In 10525's folder: 10525's own file, and one of 10546's filed there by mistake.
        try hdg.write(to: URL(fileURLWithPath: inbox + "/10525/10525.xlsx"))
        try cliOther.write(to: URL(fileURLWithPath: inbox + "/10525/nham-don-vi.xlsx"))
        // At the root, which belongs to no unit when units have folders.
        try hdg.write(to: URL(fileURLWithPath: inbox + "/goc.xlsx"))
        // A folder dragged into the unit's folder, a workbook inside it.
        try fm.createDirectory(atPath: inbox + "/10525/Bao cao quy 3", withIntermediateDirectories: true)
        try hdg.write(to: URL(fileURLWithPath: inbox + "/10525/Bao cao quy 3/bc.xlsx"))

        let archive = site + "/var/archive", rejected = site + "/var/rejected"
        func files(_ folder: String) -> [String] {
            (fm.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".xlsx") }
        }
        let settled = waitFor(60) { files(archive).count == 2 && files(rejected).count == 4 }
        #expect(settled, "archive: \(files(archive)), rejected: \(files(rejected))\n\(logText())")
        Thread.sleep(forTimeInterval: 2.5)   // more scans: nothing else may move, nothing be logged twice
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        let text = logText()

        // The half-uploaded file: first taken for an upload still arriving and put back, then,
        // once the grace time has passed, refused and asked for again, never half-read into the store.
        #expect(text.contains("a file is still arriving; it is back in the inbox") && text.contains("10525-dang-tai.xlsx"))
        let feedback = (fm.enumerator(atPath: site + "/var/feedback")?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".txt") }
        func answer(_ stem: String) throws -> String {
            let name = try #require(feedback.first { ($0 as NSString).lastPathComponent.hasPrefix(stem + ".") }, "no feedback for \(stem)")
            return try String(contentsOfFile: site + "/var/feedback/" + name, encoding: .utf8)
        }
        #expect(try answer("10525-dang-tai").contains("Đề nghị gửi lại tệp"))
        #expect(files(rejected).contains { $0.hasSuffix("-10525-dang-tai.xlsx") })
        // The slow upload: taken once complete, accepted, never refused on the way.
        #expect(text.contains("accepted 10546-cham.xlsx"), "\(text)")
        #expect(!text.contains("rejected 10546-cham.xlsx"))
        #expect(files(archive).contains { $0.hasSuffix("-10546-cham.xlsx") })
        // Over the cap: refused with the limit named.
        #expect(try answer("qua-lon").contains("vượt quá giới hạn"))
        // The unit folders: 10525's own accepted, 10546's refused for claiming another unit.
        #expect(files(archive).contains { $0.hasPrefix("2025-Q3/10525/") && $0.hasSuffix("-10525.xlsx") })
        #expect(try answer("nham-don-vi").contains("cover.unit_mismatch"))
        #expect(feedback.contains { $0.hasPrefix("10525/nham-don-vi.") }, "answered in the folder's unit, not the cover's: \(feedback)")
        // The folder: answered in the unit's answers at once, left where it is with its file.
        #expect(try answer("Bao cao quy 3").contains("intake.folder"))
        #expect(feedback.filter { $0.hasPrefix("10525/Bao cao quy 3.") && $0.hasSuffix(".txt") }.count == 1, "answered once: \(feedback)")
        #expect(fm.fileExists(atPath: inbox + "/10525/Bao cao quy 3/bc.xlsx"))
        // The root: refused, kept, answered to the admin.
        #expect(feedback.contains { $0.hasPrefix("_admin/goc.") })
        #expect(try answer("goc").contains("intake.root"))
        #expect(files(rejected).contains { $0.hasSuffix("-goc.xlsx") })
        // Left alone, each said once in the log: the link (its target untouched) and the pipe.
        for name in ignored + ["lien-ket.xlsx", "ong.xlsx"] {
            var st = stat()
            #expect(lstat(inbox + "/" + name, &st) == 0, "\(name) was taken from the inbox")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/elsewhere.xlsx")) == hdg)
        #expect(text.components(separatedBy: "reason=\"symbolic link\"").count - 1 == 1, "\(text)")
        #expect(text.components(separatedBy: "reason=\"not a regular file\"").count - 1 == 1, "\(text)")
        #expect(!text.contains("lock.bao-cao") && !text.contains("A1B2C3D4") && !text.contains("bao-cao.tmp"))
        #expect(files(site + "/var/work").isEmpty)
    }

    /// Files that arrive together make one rebuild of their quarter's reports, not one each.
    @Test func aBurstOfFilesIsPublishedOnce() throws {
        let made = try TestSite.demo()
        let config = made.config
        for (i, unit) in ["10525", "10546", "10675", "10966", "10903"].enumerated() {
            try made.fill(unit: unit, seed: i + 10, to: made.inbox + "/\(unit).xlsx")
        }
        let serve = try Binary.run(["serve", "--once", "--config", config])
        #expect(serve.status == 0)
        #expect(serve.stderr.components(separatedBy: "<6>accepted ").count - 1 == 5, "\(serve.stderr)")
        #expect(serve.stderr.components(separatedBy: "reports published").count - 1 == 1, "\(serve.stderr)")
    }

    /// A workbook still open in Excel (its owner file `~$name` beside it) is not judged at each
    /// save: it waits, through Excel's save by a temporary name and a rename, and is taken once
    /// when the owner file goes. An owner file left by a crashed Excel holds it only
    /// `open_wait_hours`, and the answer says so.
    @Test func aWorkbookOpenInAnEditorIsTakenOnlyOnceClosed() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        let fm = FileManager.default
        let first = site.dir + "/lan-1.xlsx", last = site.dir + "/lan-2.xlsx"
        try site.fill(unit: "10525", seed: 31, to: first)
        try site.fill(unit: "10525", seed: 32, to: last)
        let name = site.inbox + "/Báo cáo quý 3.xlsx", owner = site.inbox + "/~$o cáo quý 3.xlsx"
        try fm.copyItem(atPath: first, toPath: name)
        #expect(fm.createFile(atPath: owner, contents: Data([5]) + Data("Dung ".utf8)))
        let lo = site.inbox + "/lo.xlsx"
        try fm.copyItem(atPath: first, toPath: lo)
        #expect(fm.createFile(atPath: site.inbox + "/.~lock.lo.xlsx#", contents: Data("Dung,may,01.01.2026".utf8)))
        let served = try Binary.run(["serve", "--once", "--config", site.config])
        #expect(served.status == 0 && served.stderr.contains("open in an editor"), "\(served.stderr)")
        #expect(fm.fileExists(atPath: name) && fm.fileExists(atPath: lo), "taken while open")

        // Ctrl+S: Excel writes a temporary file, deletes the workbook, renames the temporary.
        let temporary = site.inbox + "/C3D4E5F6"
        try fm.copyItem(atPath: last, toPath: temporary)
        try fm.removeItem(atPath: name)
        try fm.moveItem(atPath: temporary, toPath: name)
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        #expect(fm.fileExists(atPath: name), "taken while open, after a save")

        // Closed: the owner file goes, and the last save is taken, once.
        try fm.removeItem(atPath: owner)
        let closed = try Binary.run(["serve", "--once", "--config", site.config])
        #expect(closed.stderr.components(separatedBy: "<6>accepted ").count - 1 == 1, "\(closed.stderr)")
        let archived = try fm.subpathsOfDirectory(atPath: site.root + "/var/archive").filter { $0.hasSuffix("Báo cáo quý 3.xlsx") }
        #expect(archived.count == 1)
        #expect(try archived.first.map { try Data(contentsOf: URL(fileURLWithPath: site.root + "/var/archive/" + $0)) } == Data(contentsOf: URL(fileURLWithPath: last)))

        // Left behind by a crashed LibreOffice nine hours ago: taken, and the answer says why.
        let nineHoursAgo = Date().addingTimeInterval(-9 * 3_600)
        try fm.setAttributes([.modificationDate: nineHoursAgo], ofItemAtPath: site.inbox + "/.~lock.lo.xlsx#")
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        #expect(!fm.fileExists(atPath: lo))
        let answers = try fm.subpathsOfDirectory(atPath: site.root + "/var/feedback").filter { $0.contains("lo.") && $0.hasSuffix(".txt") }
        let answer = try answers.first.map { try String(contentsOfFile: site.root + "/var/feedback/" + $0, encoding: .utf8) } ?? ""
        #expect(answer.contains("intake.open_in_editor") && answer.contains(".~lock.lo.xlsx#"), "\(answers) \(answer)")
    }

    /// A file whose time is a day ahead (the clerk's PC clock, kept by a Windows copy) is taken
    /// on the daemon's own clock, and `serve --once` ends; before that, `status` shows what waits
    /// in the inbox and why.
    @Test func aFileDatedTomorrowIsTakenAndStatusSaysWhatWaits() throws {
        let site = try TestSite.demo(.settleSeconds(1))
        let fm = FileManager.default
        let ahead = site.inbox + "/ngay-mai.xlsx", open = site.inbox + "/dang-mo.xlsx"
        try site.fill(unit: "10525", seed: 41, to: ahead)
        try site.fill(unit: "10546", seed: 42, to: open)
        #expect(fm.createFile(atPath: site.inbox + "/~$dang-mo.xlsx", contents: Data("x".utf8)))
        try fm.setAttributes([.modificationDate: Date().addingTimeInterval(86_400)], ofItemAtPath: ahead)
        try fm.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: open)
        let status = try json(Binary.run(["status", "--json", "--config", site.config]).stdout) as? [String: Any]
        let waiting = (status?["in_inbox"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[($1["path"] as? String).map { ($0 as NSString).lastPathComponent } ?? ""] = $1["reason"] as? String
        }
        #expect(waiting["ngay-mai.xlsx"]?.contains("ahead of this clock") == true && waiting["dang-mo.xlsx"]?.contains("open in an editor") == true,
                "\(waiting)")
        #expect(try Binary.run(["status", "--config", site.config]).stdout.contains("~$dang-mo.xlsx"))
        let served = try Binary.run(["serve", "--once", "--config", site.config])
        #expect(served.status == 0 && served.stderr.contains("accepted ngay-mai.xlsx"), "\(served.stderr)")
        #expect(!fm.fileExists(atPath: ahead) && fm.fileExists(atPath: open))
    }

    /// Polls `condition` every 0.1 s for up to `seconds`.
    private func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }
}
