// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatFiles
import Testing

/// The names originals are kept under: the daemon writes them, `rebuild` reads them back.
@Suite("Archive names")
struct ArchiveNameTests {
    /// 10 October 2025, 08:15:00 UTC.
    let at = Date(timeIntervalSince1970: 1_760_084_100)
    let sha = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b"

    @Test func aNameWrittenAndParsedBackGivesTheSameTimeHashAndOriginalName() throws {
        let name = ArchiveName(receivedAt: at, sha256: sha, originalName: "Báo cáo quý 3 - xã Hồng Bàng.xlsx")
        #expect(name.fileName == "20251010-081500-1a2b3c4d-Báo cáo quý 3 - xã Hồng Bàng.xlsx")
        let parsed = try #require(ArchiveName(parsing: name.fileName))
        #expect(parsed == name)
        #expect(parsed.receivedAt == at)
        #expect(parsed.shaPrefix == "1a2b3c4d")
        #expect(parsed.originalName == "Báo cáo quý 3 - xã Hồng Bàng.xlsx")
    }

    /// A file the daemon could not read has no hash: its name says `khongdoc` ("not read").
    @Test func aFileThatCouldNotBeReadIsMarkedUnread() throws {
        let name = ArchiveName(receivedAt: at, sha256: "", originalName: "bc.xlsx")
        #expect(name.fileName == "20251010-081500-khongdoc-bc.xlsx")
        let parsed = try #require(ArchiveName(parsing: name.fileName))
        #expect(parsed.shaPrefix.isEmpty)
        #expect(parsed.receivedAt == at && parsed.originalName == "bc.xlsx")
    }

    @Test(arguments: [
        "notes.xlsx",                                   // put there by hand
        "2025101-081500-1a2b3c4d-bc.xlsx",              // a day of seven digits
        "20251010-8150-1a2b3c4d-bc.xlsx",               // a time of four
        "2025101x-081500-1a2b3c4d-bc.xlsx",             // a letter in the day
        "20251010-081500-1A2B3C4D-bc.xlsx",             // the hash in upper case
        "20251010-081500-1a2b3c4-bc.xlsx",              // seven hex digits
        "20251010-081500-1a2b3c4g-bc.xlsx",             // a letter that is not hex
        "20251010-081500-1a2b3c4d-",                    // no original name
        "20251010-081500-1a2b3c4d",                     // nor its dash
        "20251310-081500-1a2b3c4d-bc.xlsx",             // a thirteenth month
        "20251010-081500-KHONGDOC-bc.xlsx",
    ])
    func namesTheDaemonDidNotMakeAreNotRead(_ name: String) {
        #expect(ArchiveName(parsing: name) == nil)
    }

    /// A long Vietnamese name is shortened to fit the file system, at a whole character, and
    /// still reads back with its time and hash; the record keeps the whole name.
    @Test func aLongNonASCIINameIsShortenedAndStillParses() throws {
        let original = "Báo cáo tình hình phát triển công nghiệp nông thôn và khuyến công quý III năm 2026 của UBND xã Cẩm Giàng tỉnh Hải Dương cũ nay là thành phố Hải Phòng gửi Sở Công Thương.xlsx"
        let name = ArchiveName(receivedAt: at, sha256: sha, originalName: original)
        #expect(name.fileName.utf8.count < FileNames.maxBytes)
        #expect(name.fileName.hasSuffix("….xlsx"))
        let parsed = try #require(ArchiveName(parsing: name.fileName))
        #expect(parsed.receivedAt == at)
        #expect(parsed.shaPrefix == "1a2b3c4d")
        #expect(parsed.originalName.hasPrefix("Báo cáo tình hình"))
        #expect(original.hasPrefix(parsed.originalName.dropLast("….xlsx".count)))
    }

    /// Whole seconds, UTC, sorting in time order; anything else is not a time.
    @Test func timestampsReadBackAsTheyWereWritten() throws {
        #expect(Timestamp.compact(at) == "20251010-081500")
        #expect(Timestamp.day(at) == "2025-10-10")
        #expect(Timestamp.readable(at) == "2025-10-10 08:15:00 UTC")
        #expect(Timestamp.parseCompact(Timestamp.compact(at)) == at)
        // A moment between seconds comes back at its second.
        #expect(Timestamp.parseCompact(Timestamp.compact(at.addingTimeInterval(0.75))) == at)
        let later = at.addingTimeInterval(86_400 * 400 + 3_723)
        #expect(Timestamp.compact(at) < Timestamp.compact(later))
        #expect(Timestamp.parseCompact(Timestamp.compact(later)) == later)
        for text in ["2025-10-10", "20251010081500", "20251010-251500", "20251310-081500", "hôm nay"] {
            #expect(Timestamp.parseCompact(text) == nil, "\(text)")
        }
        // Foundation on Linux reads an empty text as 1 January 2000. ArchiveName checks the digits
        // before it asks, so no name is misread; `parseCompact` alone still takes "".
        withKnownIssue("DateFormatter on Linux parses \"\" as 2000-01-01") {
            #expect(Timestamp.parseCompact("") == nil)
        }
    }
}
