// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The Python the tests run (openpyxl, aiosmtpd): `$RURALSTAT_PYTHON` (the venv `make test`
/// prepares), else `python3`.
public enum Python {
    public static var executable: String { ProcessInfo.processInfo.environment["RURALSTAT_PYTHON"] ?? "python3" }

    /// Runs `code` (`python -c`) with `arguments`; returns what it printed, or throws with
    /// Python's message when it fails.
    @discardableResult
    public static func run(_ code: String, _ arguments: [String] = []) throws -> String {
        let r = try Binary.run([executable, "-c", code] + arguments, executable: "/usr/bin/env")
        guard r.status == 0 else { throw PythonFailure(message: r.stderr) }
        return r.stdout
    }
}

/// A Python script that did not succeed, with what it said.
public struct PythonFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "python failed: \(message)" }
}
