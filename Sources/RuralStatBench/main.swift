// ruralstat-bench: the measured side of `make bench` (bench/run.py drives it).
//   ruralstat-bench read FILE   read every cell of every worksheet; print counts and a checksum
import CellModel
import Foundation
import XLSX

let arguments = CommandLine.arguments
guard arguments.count >= 3, arguments[1] == "read" else {
    FileHandle.standardError.write(Data("usage: ruralstat-bench read FILE\n".utf8))
    exit(2)
}

var limits = ReadLimits()
limits.maxCells = 50_000_000
do {
    let reader = try WorkbookReader(path: arguments[2], limits: limits)
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
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
