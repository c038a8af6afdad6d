// SPDX-License-Identifier: Apache-2.0
public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `ruralstat serve` running in the background on a test's site, its log in a file: started,
/// signalled (SIGHUP to reload), read, stopped with SIGTERM.
public final class RunningDaemon {
    public let process = Process()
    public let log: String

    /// Starts `serve --config config`, through `wrapper` when given (`setpriv …` to run it as
    /// another user), and waits for "ruralstat started".
    public init(config: String, log: String, wrapper: [String] = []) throws {
        self.log = log
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw SetupFailure(step: "creating \(log)", output: "") }
        let command = wrapper + [Binary.path, "serve", "--config", config]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        guard waitFor("ruralstat started") else { throw SetupFailure(step: "starting the daemon", output: text) }
    }

    /// What the daemon logged so far.
    public var text: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Waits up to `seconds` for `what` to appear `count` times in the log.
    public func waitFor(_ what: String, count: Int = 1, seconds: Double = 20) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if text.components(separatedBy: what).count - 1 >= count { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return text.components(separatedBy: what).count - 1 >= count
    }

    /// Sends `signal` (SIGHUP: reload).
    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// SIGTERM, and waits for the exit; returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
