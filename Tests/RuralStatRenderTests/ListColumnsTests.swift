// SPDX-License-Identifier: Apache-2.0
import Foundation
@testable import RuralStatCore
import Testing
@testable import RuralStatRender

/// The body of a list as printed: a column of codes as wide as its longest code, a year as a year.
@Suite("List columns as printed")
struct ListColumnsTests {
    @Test func aColumnOfCodesIsAsWideAsItsLongestAndAYearHasNoThousandsSeparator() throws {
        let table = ReportTable(name: "Danh sách", title: LocalizedText(vi: "DANH SÁCH", en: "List"), columns: [
            TableColumn("Mã đề án", width: 9, alignment: .center), TableColumn("Tên", width: 9),
            TableColumn("Nguồn kinh phí", width: 9, alignment: .center),
        ], rows: [
            TableRow([.text("11311-DA2601"), .text("Một tên dài được xuống dòng"), .text("KC")]),
            TableRow([.text("DA1"), .text("x"), .text(String(repeating: "Khuyến công quốc gia ", count: 4))]),
        ], labelColumns: 1)
        let widths = ReportWriter.fitted(table)
        // The code on one line in its widened column; a left-aligned text wraps as it did; a
        // very long code name stops at 24 and wraps.
        #expect(widths[0] > 9 && TextWidth.lines("11311-DA2601", columns: [widths[0]]) == 1, "\(widths)")
        #expect(widths[1] == 9 && widths[2] == 24, "\(widths)")

        var year = ValueSpec(id: "year_recognised", type: .integer, required: false, min: 1990, max: 2100, aggregate: .sum)
        #expect(FigureFormat(year) == .year && ReportWriter.numberFormat(.year) == "0")
        year.max = 100_000
        #expect(FigureFormat(year) == .integer)
    }
}
