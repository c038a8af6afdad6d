// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing
@testable import XLSX

@Suite("Inputs kept from fuzzing")
struct FuzzRegressionTests {
    static let folders = ["Tests/Fixtures/fuzz-crashes", "Tests/Fixtures/reader"].map(Repository.path)

    static var inputs: [String] {
        folders.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { !$0.hasSuffix(".md") && !$0.hasSuffix(".py") }.sorted().map { dir + "/" + $0 }
        }
    }

    /// Replays what the fuzz target does: scan the bytes as XML, then read every sheet.
    @Test(arguments: inputs)
    func isReadOrRefusedNeverCrashes(_ path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.withUnsafeBufferPointer { buf in
            var scanner = XMLScanner(buf, maxDepth: 64)
            while (try? scanner.next()) != nil {}
        }
        do {
            let reader = try WorkbookReader(path: path)
            for sheet in reader.sheets { _ = try reader.cells(of: sheet) }
        } catch is XLSXError {
            // A refusal with a message is a correct outcome.
        }
    }
}
