// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore
import Testing

@Suite("The periods a file may be for")
struct PeriodWindowTests {
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
}
