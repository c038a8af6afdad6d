// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore
import RuralStatTesting
import Testing
@testable import RuralStatRender

/// What the printed page shows, read back with openpyxl: every line of a letterhead and a
/// signature block fits its merged cell or wraps in a row tall enough.
@Suite("Letterhead and signature lines as printed")
struct PrintedLinesTests {
    /// A province whose names are long (a city's people's committee, its department named in full).
    static let longNames = Province(name: "Thành phố Hồ Chí Minh", parentBody: "Ủy ban nhân dân Thành phố Hồ Chí Minh",
                                    issuingBody: "Sở Công Thương Thành phố Hồ Chí Minh", place: "Thành phố Hồ Chí Minh",
                                    units: RenderTests.province.units)

    /// Every merged text cell of a sheet with its rows, columns (1-based), font and wrap, and
    /// every row's height, as openpyxl reads them.
    func merged(_ path: String) throws -> [[String: Any]] {
        let out = try Python.run("""
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print(json.dumps([{"merged": [{"rows": [m.min_row, m.max_row], "cols": [m.min_col, m.max_col], "text": c.value,
                                           "bold": bool(c.font.b), "size": c.font.sz, "wrap": bool(c.alignment.wrap_text)}
                                          for m in ws.merged_cells.ranges for c in [ws.cell(m.min_row, m.min_col)] if isinstance(c.value, str)],
                               "heights": {str(r): d.height for r, d in ws.row_dimensions.items() if d.height}} for ws in wb.worksheets],
                             ensure_ascii=False))
            """, [path])
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
    }

    @Test(arguments: [RenderTests.province, longNames])
    func everyLineOfTheLetterheadAndSignatureFitsOrWrapsInARowTallEnough(_ province: Province) throws {
        let dir = try temporaryFolder()
        for report in try RenderTests().shippedReports(province: province) {
            let path = "\(dir)/\(report.definition.file).xlsx"
            try ReportWriter().write(report, to: path)
            let signature = [ReportWriter.placeLine(report), ReportWriter.preparer.0, ReportWriter.preparer.1, ReportWriter.head.0, ReportWriter.head.1]
            for (sheet, table) in zip(try merged(path), report.sheets) {
                let fitted = ReportWriter.fitted(table)   // the widths written: a column of codes widened
                let heights = try #require(sheet["heights"] as? [String: Double])
                var checked = 0
                for m in try #require(sheet["merged"] as? [[String: Any]]) {
                    let rows = m["rows"] as! [Int], cols = m["cols"] as! [Int], text = m["text"] as! String
                    guard rows[0] <= 7 || signature.contains(text) else { continue }   // the table's own cells and notes are not lines
                    checked += 1
                    let widths = Array(fitted[(cols[0] - 1)...(cols[1] - 1)])
                    let size = m["size"] as? Double ?? 12
                    let lines = TextWidth.lines(text, columns: widths, size: size, bold: m["bold"] as! Bool)
                    let place = "\(report.definition.id)/\(table.name) row \(rows[0]): \(text)"
                    if lines == 1 && rows[0] == rows[1] { continue }
                    #expect(m["wrap"] as? Bool == true, "\(place): \(lines) lines in a cell that does not wrap")
                    // Each line about 1.3 times the font's size, over the rows the cell spans (15 points by default).
                    let tall = (rows[0]...rows[1]).map { heights[String($0)] ?? 15 }.reduce(0, +)
                    #expect(tall >= Double(lines) * (size * 1.3 - 0.1) - 0.01, "\(place): \(lines) lines in \(tall) points")
                }
                #expect(checked >= 12, "\(report.definition.id)/\(table.name): the letterhead and signature lines were not all found")
            }
        }
    }

    /// Biểu 03's receiver is wider than the motto's half of its first sheet: it is broken after
    /// the first body it names, one body a line, instead of being cut at both ends.
    @Test func theReceiverOfBieu03TakesTwoLinesBrokenBetweenItsBodies() throws {
        let report = try #require(try RenderTests().shippedReports().first { $0.definition.id == "promotion-projects" })
        let path = try temporaryFolder() + "/kc.xlsx"
        try ReportWriter().write(report, to: path)
        let first = try #require(try merged(path).first)
        let receiver = try #require((first["merged"] as? [[String: Any]])?.first { ($0["text"] as? String)?.hasPrefix("Đơn vị nhận báo cáo:") == true })
        #expect(receiver["text"] as? String == "Đơn vị nhận báo cáo: Bộ Công Thương (Cục ĐMST, CĐX và KC);\nUBND tỉnh")
        #expect(receiver["wrap"] as? Bool == true)
        #expect((first["heights"] as? [String: Double])?["4"] == 31)
    }

    /// Times's own widths: the motto in bold at 12 points is 20.86 em (Adobe's metrics), 350
    /// pixels with the twentieth kept for safety; a word longer than the line breaks inside it.
    @Test func linesAreMeasuredInTimesNewRoman() {
        #expect(abs(TextWidth.pixels(ReportWriter.motto, bold: true) - 20.861 * 16 * 1.05) < 0.5)
        #expect(TextWidth.pixels("Ộ") == TextWidth.pixels("O") && TextWidth.pixels("ơ") > TextWidth.pixels("o"))
        #expect(TextWidth.lines("Độc lập - Tự do - Hạnh phúc", columns: [30, 20], bold: true) == 1)
        #expect(TextWidth.lines("Độc lập - Tự do - Hạnh phúc", columns: [10, 10], bold: true) == 2)
        #expect(TextWidth.lines("một\nhai", columns: [40]) == 2)
        #expect(TextWidth.lines(String(repeating: "M", count: 40), columns: [10]) >= 4)
    }
}
