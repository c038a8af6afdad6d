import Foundation
import Testing

/// Runs the real `ruralstat` binary and Python helpers in temporary folders.
enum Binary {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The binary `swift build` made (`make test` builds it first), or `$RURALSTAT_BIN`.
    static var path: String {
        if let env = ProcessInfo.processInfo.environment["RURALSTAT_BIN"] { return env }
        return repoRoot + "/.build/debug/ruralstat"
    }

    /// The optimised binary (`make test` builds it): time and memory limits are measured on it.
    static var releasePath: String {
        ProcessInfo.processInfo.environment["RURALSTAT_RELEASE_BIN"] ?? repoRoot + "/.build/release/ruralstat"
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ arguments: [String], executable: String = Binary.path, environment: [String: String] = [:]) throws -> Result {
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

    /// Runs a helper script with the Python `make test` prepared (`$RURALSTAT_PYTHON`), else `python3`.
    static func python(_ script: String, _ arguments: [String]) throws -> Result {
        try run([ProcessInfo.processInfo.environment["RURALSTAT_PYTHON"] ?? "python3", repoRoot + "/Tests/EndToEndTests/Support/" + script] + arguments, executable: "/usr/bin/env")
    }

    static func folder(_ name: String = #function) throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("ruralstat-e2e-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

struct BinaryMissing: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path) is missing: build it with `swift build` (make test does) or set RURALSTAT_BIN" }
}

func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// LibreOffice Calc, headless, with a private profile so parallel tests do not collide.
enum Office {
    /// Converts `file` with `soffice --convert-to FORMAT` into `outDir`; returns the new path.
    static func convert(_ file: String, to format: String, outDir: String) throws -> String {
        let profile = "file://" + outDir + "/.lo-profile"
        let r = try Binary.run(["soffice", "-env:UserInstallation=" + profile, "--headless", "--convert-to", format,
                                "--outdir", outDir, file], executable: "/usr/bin/env")
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension + "." + (format.split(separator: ":").first.map(String.init) ?? format)
        let out = outDir + "/" + name
        guard r.status == 0, FileManager.default.fileExists(atPath: out) else {
            throw OfficeFailure(message: "soffice could not convert \(file) to \(format): \(r.stdout) \(r.stderr)")
        }
        return out
    }
}

struct OfficeFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
