// ruralstat-bench: the measured side of `make bench` (bench/run.py drives it).
//   ruralstat-bench read FILE          read every cell of every worksheet; print counts and a checksum
//   ruralstat-bench write ROWS FILE    write a detail list of ROWS rows through ruralstat's writer,
//                                      the same cells as bench/c/write_detail.c writes directly
import CellModel
import Foundation
import XLSX

func fail(_ message: String, _ code: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(code)
}

func read(_ path: String) throws {
    var limits = ReadLimits()
    limits.maxCells = 50_000_000
    let reader = try WorkbookReader(path: path, limits: limits)
    var cells = 0, strings = 0, numbers = 0, dates = 0
    var sum = 0.0
    for sheet in reader.sheets {
        try reader.forEachCell(in: sheet) { _, value in
            cells += 1
            switch value {
            case .string: strings += 1
            case .number(let n): numbers += 1; sum += n
            case .date: dates += 1
            default: break
            }
        }
    }
    print("cells=\(cells) strings=\(strings) numbers=\(numbers) dates=\(dates) sum=\(sum)")
}

func write(rows: Int, to path: String) throws {
    let units = ["Thành phố Hải Dương", "Huyện Cẩm Giàng", "Huyện Gia Lộc", "Huyện Nam Sách", "Huyện Ninh Giang"]
    let names = ["Hỗ trợ ứng dụng máy móc thiết bị tiên tiến", "Xây dựng mô hình trình diễn kỹ thuật",
                 "Tham gia hội chợ triển lãm", "Đào tạo nghề thêu ren"]
    let funding = ["Khuyến công quốc gia", "Khuyến công địa phương", "Nguồn khác"]
    let status = ["Đã phê duyệt", "Đang thực hiện", "Đã nghiệm thu"]
    let cell = CellStyle().with { $0.border = true; $0.vertical = .center }
    let text = cell.with { $0.wrap = true }, center = cell.with { $0.horizontal = .center }
    let integer = center.with { $0.numberFormat = "#,##0" }, money = cell.with { $0.numberFormat = "#,##0.0" }
    let date = center.with { $0.numberFormat = "dd/mm/yyyy" }

    let wb = try WorkbookWriter(path: path)
    let ws = try wb.addWorksheet("Danh sách đề án")
    for i in 0..<rows {
        let r = i + 1
        try ws.write(r, 0, number: Double(i + 1), style: integer)
        try ws.write(r, 1, string: units[i % 5], style: text)
        try ws.write(r, 2, string: "DA-\(i + 1)", style: center)
        try ws.write(r, 3, string: names[i % 4], style: text)
        try ws.write(r, 4, string: funding[i % 3], style: center)
        try ws.write(r, 5, number: Double(100 + i % 700), style: money)
        try ws.write(r, 6, number: Double(i % 500) / 10, style: money)
        try ws.write(r, 7, string: status[i % 3], style: center)
        try ws.write(r, 8, year: 2025, month: 1 + i % 12, day: 1 + i % 28, style: date)
    }
    try wb.close()
}

let arguments = CommandLine.arguments
do {
    switch (arguments.count, arguments.count > 1 ? arguments[1] : "") {
    case (3, "read"): try read(arguments[2])
    case (4, "write"):
        guard let rows = Int(arguments[2]) else { fail("ROWS must be a number", 2) }
        try write(rows: rows, to: arguments[3])
    default: fail("usage: ruralstat-bench read FILE | write ROWS FILE", 2)
    }
} catch {
    fail("\(error)", 1)
}
