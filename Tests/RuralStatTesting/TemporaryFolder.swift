// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A new empty folder under the system's temporary folder, named after the test that asks for it
/// (`name` defaults to the calling function), so a failed test's files are easy to find.
public func temporaryFolder(_ name: String = #function) throws -> String {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("ruralstat-test-\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}
