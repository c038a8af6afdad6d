// SPDX-License-Identifier: Apache-2.0
// ruralstat-bench: the measured side of `make bench` (bench/run.py drives it).
//   ruralstat-bench read FILE          read every cell of every worksheet; print counts and a checksum
//   ruralstat-bench write ROWS FILE    write a detail list of ROWS rows through ruralstat's writer,
//                                      the same cells as bench/c/write_detail.c writes directly
//   ruralstat-bench reports DIR SHARE RUNS   a province of 30 units with a year of history stored
//                                      under DIR (schema and reports from SHARE), then its full
//                                      report set published RUNS times; prints the timings
//   ruralstat-bench write-styles ROWS FILE   the same, naming each cell's style instead of a
//                                      format resolved once
//   ruralstat-bench province DIR SHARE UNITS FILES ROWS   a province of UNITS units configured
//                                      in DIR/ruralstat.yaml for fast intake, and FILES
//                                      submissions in DIR/drop (ROWS village rows each, 0: the
//                                      demo's few) with DIR/manifest.json saying what each is;
//                                      the crash, load and latency runs drop them into the inbox
//   ruralstat-bench outliers [--units N] [--quarters Q] [--seed S] [--schema PATH] …   the outlier
//                                      checks' recall per kind of error and false-alarm rate on a
//                                      generated province (OutlierBench.swift says what is measured)
import CellModel
import Foundation
import Logging
import RuralStatCore
import RuralStatConfig
import RuralStatDemo
import RuralStatFiles
import RuralStatPublishing
import RuralStatReading
import RuralStatRender
import RuralStatStore
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

/// `resolved`: formats resolved once per look (the way for long lists); otherwise each cell
/// names its style and the writer looks the format up.
func write(rows: Int, to path: String, resolved: Bool) throws {
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
    if resolved {
        let (text, center, integer, money, date) = (wb.resolve(text), wb.resolve(center), wb.resolve(integer), wb.resolve(money), wb.resolve(date))
        for i in 0..<rows {
            let r = i + 1
            try ws.write(r, 0, number: Double(i + 1), format: integer)
            try ws.write(r, 1, string: units[i % 5], format: text)
            try ws.write(r, 2, string: "DA-\(i + 1)", format: center)
            try ws.write(r, 3, string: names[i % 4], format: text)
            try ws.write(r, 4, string: funding[i % 3], format: center)
            try ws.write(r, 5, number: Double(100 + i % 700), format: money)
            try ws.write(r, 6, number: Double(i % 500) / 10, format: money)
            try ws.write(r, 7, string: status[i % 3], format: center)
            try ws.write(r, 8, year: 2025, month: 1 + i % 12, day: 1 + i % 28, format: date)
        }
        return try wb.close()
    }
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

/// The full report set of a 30-unit province: every earlier quarter the comparisons need and
/// the quarter itself go through the real pipeline first (a backfill), then the reports are
/// published again and again from the store.
func reports(root: String, share: String, runs: Int) throws {
    let units = (1...30).map { ReportingUnit(code: String(format: "U%02d", $0), name: String(format: "Huyện Thử %02d", $0)) }
    let province = Province(name: "Tỉnh Thử", parentBody: "UBND TỈNH THỬ", issuingBody: "SỞ CÔNG THƯƠNG", place: "Thử", units: units)
    let text = ConfigurationTemplate.text(province: province)
        .replacingOccurrences(of: "schema: templates/quarterly-v1.yaml", with: "schema: \(share)/templates/quarterly-v1.yaml")
        .replacingOccurrences(of: "reports: reports ", with: "reports: \(share)/reports ")
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try text.write(toFile: root + "/ruralstat.yaml", atomically: true, encoding: .utf8)
    let config = try Configuration.load(path: root + "/ruralstat.yaml")
    let definitions = try Definitions.load(config)
    for dir in config.paths.all { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    let store = try SubmissionStore(path: config.paths.database)
    let period = Period("2025-Q4")!
    var logger = Logger(label: "bench")
    logger.logLevel = .error

    let start = Date()
    // Each file read, checked and stored as the daemon does it (the answer and the move to the
    // archive, which the reports do not read, are left out).
    let check = SubmissionCheck(config: config, definitions: definitions, store: store)
    func take(_ path: String, _ name: String, _ arrival: Date) throws -> Bool {
        let result = check.run(path: path, expectedUnit: nil, at: arrival).result
        guard let data = result.submission else { return false }
        let file = ReceivedFile(sha256: try SHA256.ofSubmission(path, maxFileBytes: config.limits.maxFileBytes).sha,
                                fileName: name, receivedAt: arrival, storedPath: path)
        _ = try store.accept(data, file: file, warnings: result.warnings)
        return true
    }
    var files = try DemoProvince.seedHistory(before: period, config: config, definitions: definitions, store: store, take: take)
    let form = FormWorkbook(schema: definitions.schema)
    for unit in units {
        let name = "bao-cao-\(unit.code)-\(period).xlsx"
        let path = config.paths.work + "/" + name
        try form.write(to: path, period: period, unit: unit, content: DemoProvince.content(unit: unit, period: period))
        if try take(path, name, Date()) { files += 1 }
    }
    let backfill = Date().timeIntervalSince(start)

    let publisher = ReportPublisher(query: PeriodQuery(config: config, definitions: definitions, store: store), folder: config.paths.reports)
    var times: [Double] = []
    var written: [String] = []
    for _ in 0..<runs {
        let t = Date()
        written = try publisher.publish(period).paths
        times.append(Date().timeIntervalSince(t))
    }
    let bytes = try written.map { try FileManager.default.attributesOfItem(atPath: $0)[.size] as! Int }.reduce(0, +)
    print("files=\(files) backfill_s=\(backfill) reports=\(written.count) bytes=\(bytes) publish_s=\(times.map { String($0) }.joined(separator: ","))")
}

/// A province for the daemon runs and its submissions, generated in advance so that dropping
/// them costs the harness nothing. Each unit and quarter has at most one valid file, so the
/// figures a period must show do not depend on the order files are taken in: every tenth file
/// has a clerk's mistakes (rejected), and every eighth valid one is also dropped a second time
/// under another name (a duplicate).
func province(root: String, share: String, unitCount: Int, files: Int, rows: Int) throws {
    let units = (1...unitCount).map { ReportingUnit(code: String(format: "U%02d", $0), name: String(format: "Huyện Thử %02d", $0)) }
    let province = Province(name: "Tỉnh Thử", parentBody: "UBND TỈNH THỬ", issuingBody: "SỞ CÔNG THƯƠNG", place: "Thử", units: units)
    let text = ConfigurationTemplate.text(province: province)
        .replacingOccurrences(of: "schema: templates/quarterly-v1.yaml", with: "schema: \(share)/templates/quarterly-v1.yaml")
        .replacingOccurrences(of: "reports: reports ", with: "reports: \(share)/reports ")
        .replacingOccurrences(of: "settle_seconds: 2 ", with: "settle_seconds: 0.2 ")
        .replacingOccurrences(of: "scan_interval_seconds: 30 ", with: "scan_interval_seconds: 2 ")
    let drop = root + "/drop"
    try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
    try text.write(toFile: root + "/ruralstat.yaml", atomically: true, encoding: .utf8)
    let config = try Configuration.load(path: root + "/ruralstat.yaml")
    let definitions = try Definitions.load(config)
    let form = FormWorkbook(schema: definitions.schema)
    var manifest: [[String: Any]] = []
    for i in 0..<files {
        let unit = units[i % unitCount]
        guard let period = Period(year: 2014 + i / unitCount / 4, quarter: 1 + (i / unitCount) % 4) else { fail("too many files", 2) }
        let invalid = i % 10 == 9
        var content = invalid ? DemoProvince.invalidContent(unit: unit, period: period) : DemoProvince.content(unit: unit, period: period)
        if rows > 0, var villages = content.tables["villages"] {
            let pattern = villages
            villages = (0..<rows).map { r in
                var row = pattern[r % pattern.count]
                if r >= pattern.count { row["code"] = .string("\(unit.code)-LN\(String(format: "%04d", r + 1))") }
                return row
            }
            content.tables["villages"] = villages
            content.indicators["indicators"]!["villages_total"] = .number(Double(rows))
        }
        let name = String(format: "%05d-", i) + "bao-cao-\(unit.code)-\(period).xlsx"
        try form.write(to: drop + "/" + name, period: period, unit: unit, content: content)
        var establishments = 0.0
        if case .number(let n)? = content.indicators["indicators"]?["establishments"] { establishments = n }
        manifest.append(["name": name, "unit": unit.code, "period": period.description, "kind": invalid ? "invalid" : "valid",
                         "establishments": establishments])
        if !invalid, i % 8 == 0 {
            let copy = String(format: "%05d-", i) + "ban-sao-\(unit.code)-\(period).xlsx"
            try FileManager.default.copyItem(atPath: drop + "/" + name, toPath: drop + "/" + copy)
            manifest.append(["name": copy, "unit": unit.code, "period": period.description, "kind": "copy", "copy_of": name,
                             "establishments": establishments])
        }
    }
    let data = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: root + "/manifest.json"))
    print("units=\(unitCount) files=\(manifest.count) folder=\(drop)")
}

/// A province's approved quarter as `period approve` writes it, made of `communes` generated
/// communes' forms (the national demo's generator), for the drop-to-national-report bench.
func provinceFile(to path: String, code: String, period: Period, communes: Int) throws {
    guard let unit = NationalUnits.country.units.first(where: { $0.code == code }) else { fail("no province \(code)", 2) }
    let text = try String(contentsOfFile: shareFolder() + "/templates/province-v1.yaml", encoding: .utf8)
    let form = try FormSchema.load(yaml: text, file: "province-v1.yaml")
    let content = NationalDemo.content(province: unit, period: period, communes: communes)
    try FormWorkbook(schema: form).write(to: path, period: period, unit: unit, content: content)
    print("villages=\(content.tables["villages"]?.count ?? 0) projects=\(content.tables["projects"]?.count ?? 0) communes=\(communes)")
}

/// The source tree (or `RURALSTAT_SHARE`), where the shipped templates are.
func shareFolder() -> String {
    ShareLocator.find() ?? FileManager.default.currentDirectoryPath
}

let arguments = CommandLine.arguments
do {
    switch (arguments.count, arguments.count > 1 ? arguments[1] : "") {
    case (_, "outliers"): try outlierBench(Array(arguments.dropFirst(2)))
    case (3, "read"): try read(arguments[2])
    case (5, "reports"):
        guard let runs = Int(arguments[4]) else { fail("RUNS must be a number", 2) }
        try reports(root: arguments[2], share: arguments[3], runs: runs)
    case (7, "province"):
        guard let units = Int(arguments[4]), let files = Int(arguments[5]), let rows = Int(arguments[6]), units > 0 else {
            fail("UNITS, FILES and ROWS must be numbers", 2)
        }
        try province(root: arguments[2], share: arguments[3], unitCount: units, files: files, rows: rows)
    case (6, "province-file"):
        guard let communes = Int(arguments[5]), let period = Period(arguments[4]) else { fail("COMMUNES must be a number, PERIOD like 2026-Q1", 2) }
        try provinceFile(to: arguments[2], code: arguments[3], period: period, communes: communes)
    case (4, "write"), (4, "write-styles"):
        guard let rows = Int(arguments[2]) else { fail("ROWS must be a number", 2) }
        try write(rows: rows, to: arguments[3], resolved: arguments[1] == "write")
    default: fail("usage: ruralstat-bench read FILE | write ROWS FILE | write-styles ROWS FILE | reports DIR SHARE RUNS | province DIR SHARE UNITS FILES ROWS | province-file OUT CODE PERIOD COMMUNES | outliers [OPTIONS]", 2)
    }
} catch {
    fail("\(error)", 1)
}
