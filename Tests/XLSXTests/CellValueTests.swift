// SPDX-License-Identifier: Apache-2.0
import CellModel
import Testing

@Suite("Cell addresses and date serials")
struct CellValueTests {
    @Test(arguments: [("A1", 0, 0), ("B7", 6, 1), ("Z10", 9, 25), ("AA1", 0, 26), ("AB12", 11, 27), ("XFD1048576", 1_048_575, 16_383), ("$C$3", 2, 2)])
    func readsA1References(_ a1: String, _ row: Int, _ column: Int) {
        let a = CellAddress(a1: a1)
        #expect(a == CellAddress(row: row, column: column))
        #expect(a?.a1 == a1.replacingOccurrences(of: "$", with: ""))
    }

    @Test(arguments: ["", "A", "1", "A0", "1A", "ABCD1", "A-1"])
    func refusesWhatIsNotAReference(_ text: String) {
        #expect(CellAddress(a1: text) == nil)
    }

    @Test(arguments: [
        (1.0, false, "1900-01-01"), (59.0, false, "1900-02-28"), (60.0, false, "1900-02-29"), (61.0, false, "1900-03-01"),
        (45_000.0, false, "2023-03-15"), (45_930.0, false, "2025-09-30"), (0.0, true, "1904-01-01"), (43_538.0, true, "2023-03-15"),
    ])
    func convertsSerialsInBothDateSystems(_ serial: Double, _ is1904: Bool, _ expected: String) {
        #expect(SpreadsheetDate(serial: serial, date1904: is1904, hasTime: false)?.description == expected)
    }

    @Test func keepsTheTimeOfDayWhenShown() {
        #expect(SpreadsheetDate(serial: 45_930.75, date1904: false, hasTime: true)?.description == "2025-09-30T18:00:00")
    }

    @Test(arguments: [(1.0, "1"), (-5.0, "-5"), (0.1, "0.1"), (1_234.5678, "1234.5678"), (123_456_789_012.0, "123456789012")])
    func formatsNumbersInTheirShortestForm(_ n: Double, _ text: String) {
        #expect(CellValue.format(n) == text)
    }
}

import Foundation
