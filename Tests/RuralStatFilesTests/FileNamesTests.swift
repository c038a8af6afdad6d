// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing
@testable import RuralStatFiles

@Suite("Names derived from a unit's file name")
struct FileNamesTests {
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
}
