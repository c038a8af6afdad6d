// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs the built `ruralstat` and the end-to-end suite's Python helpers.
public enum Binary {
    /// The folder of the build the tests run from (`<scratch>/<triple>/debug`, where the test
    /// bundle is): the binaries looked for are that build's, whatever its scratch path
    /// (`.build` for `make test`, `.build-tests`…). Nil when it cannot be told.
    static let buildFolder: String? = {
        // The running test bundle: /proc/self/exe on Linux, the main bundle's executable elsewhere.
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map { URL(fileURLWithPath: $0) }
            ?? Bundle.main.executableURL
        guard let exe = running?.resolvingSymlinksInPath() else { return nil }
        let dir = exe.deletingLastPathComponent()
        return FileManager.default.fileExists(atPath: dir.appendingPathComponent("ruralstat").path) ? dir.path : nil
    }()

    /// The debug binary `swift build` made beside the tests, or `$RURALSTAT_BIN`.
    public static var path: String {
        if let env = ProcessInfo.processInfo.environment["RURALSTAT_BIN"] { return env }
        return (buildFolder ?? Repository.root + "/.build/debug") + "/ruralstat"
    }

    /// The optimised binary of the same scratch path (`swift build -c release --product ruralstat`;
    /// `make test` builds it), or `$RURALSTAT_RELEASE_BIN`: time and memory limits are measured on it.
    public static var releasePath: String {
        if let env = ProcessInfo.processInfo.environment["RURALSTAT_RELEASE_BIN"] { return env }
        guard let debug = buildFolder else { return Repository.root + "/.build/release/ruralstat" }
        return URL(fileURLWithPath: debug).deletingLastPathComponent().appendingPathComponent("release/ruralstat").path
    }

    /// What a process printed, and how it ended.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` (the debug `ruralstat` by default) with `arguments`, `environment`
    /// added to this process's; waits for it.
    @discardableResult
    public static func run(_ arguments: [String], executable: String = Binary.path, environment: [String: String] = [:]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BinaryMissing(path: executable)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while reader.isExecuting || !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a helper script of `Tests/EndToEndTests/Support` with the tests' Python.
    public static func python(_ script: String, _ arguments: [String]) throws -> Result {
        try run([Python.executable, Repository.root + "/Tests/EndToEndTests/Support/" + script] + arguments, executable: "/usr/bin/env")
    }
}

/// A binary the tests need was not built.
public struct BinaryMissing: Error, CustomStringConvertible {
    public var path: String
    public init(path: String) { self.path = path }
    public var description: String { "\(path) is missing: build it with `swift build` (make test does) or set RURALSTAT_BIN" }
}

/// A command's JSON output, parsed.
public func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}
