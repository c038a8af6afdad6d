// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for the workbook reader. Each input is scanned as XML by the
// tokenizer, then opened as a workbook and every worksheet read. Anything but a clean
// result or an XLSXError (a crash, a hang, a sanitizer report) is a bug; each input that
// ever found one is kept in Tests/Fixtures/fuzz-crashes/ and replayed by the test suite.
import Foundation
@testable import XLSX

private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ruralstat-fuzz-\(getpid()).xlsx").path

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var scanner = XMLScanner(bytes, maxDepth: 64)
    while (try? scanner.next()) != nil {}
    guard FileManager.default.createFile(atPath: scratch, contents: Data(bytes)) else { return 0 }
    var limits = ReadLimits()
    limits.maxTotalBytes = 64 << 20
    limits.maxEntryBytes = 32 << 20
    limits.maxCells = 200_000
    if let reader = try? WorkbookReader(path: scratch, limits: limits) {
        for sheet in reader.sheets { _ = try? reader.cells(of: sheet) }
    }
    return 0
}
