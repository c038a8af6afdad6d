import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's notification socket.
final class NotifyListener {
    let path: String
    private let fd: Int32
    private(set) var messages: [String] = []

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard ok == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    deinit { close(fd) }

    /// Collects messages until one satisfies `done` or `timeout` seconds pass; returns it.
    func wait(timeout: Double, until done: (String) -> Bool) -> String? {
        let end = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < end {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { continue }
            let message = String(decoding: buffer[0..<n], as: UTF8.self)
            messages.append(message)
            if done(message) { return message }
        }
        return nil
    }
}

@Suite("Under systemd: notifications, reload and stop", .serialized)
struct SystemdTests {
    @Test func theDaemonTellsSystemdItIsReadyBusyReloadingAndStopping() throws {
        let dir = try Binary.folder()
        #expect(try Binary.run(["init", dir + "/site", "--demo"]).status == 0)
        let config = dir + "/site/ruralstat.yaml"
        let original = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "settle_seconds: 2 ", with: "settle_seconds: 0 ")
        try original.write(toFile: config, atomically: true, encoding: .utf8)
        let listener = try NotifyListener(path: dir + "/notify.sock")

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: Binary.path)
        daemon.arguments = ["serve", "--config", config]
        daemon.environment = ProcessInfo.processInfo.environment.merging(["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "600000"]) { $1 }
        let err = Pipe()
        daemon.standardError = err
        daemon.standardOutput = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }

        #expect(listener.wait(timeout: 20) { $0.contains("READY=1") } != nil, "no READY=1")
        #expect(listener.wait(timeout: 5) { $0 == "WATCHDOG=1" } != nil, "no WATCHDOG=1 within 5 s of a 0.6 s watchdog")

        // A file arrives: the status line counts it.
        let form = dir + "/site/var/inbox/bao-cao-10525.xlsx"
        #expect(try Binary.run(["template", "--period", "2025-Q3", "--unit", "10525", "--config", config, "--out", dir + "/blank.xlsx"]).status == 0)
        try FileManager.default.moveItem(atPath: dir + "/blank.xlsx", toPath: form)
        #expect(listener.wait(timeout: 20) { $0.contains("STATUS=") && $0.contains("1 rejected") } != nil, "no status after the file")

        // A broken configuration: RELOADING, then READY again on the old one.
        try "province: [unclosed\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        let reloading = listener.wait(timeout: 10) { $0.contains("RELOADING=1") }
        #expect(reloading?.contains("MONOTONIC_USEC=") == true, "\(reloading ?? "no RELOADING=1")")
        #expect(listener.wait(timeout: 10) { $0.contains("READY=1") } != nil)
        // A good one (a longer rescan interval) is taken.
        try original.write(toFile: config, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        #expect(listener.wait(timeout: 10) { $0.contains("READY=1") } != nil)

        kill(daemon.processIdentifier, SIGTERM)
        #expect(listener.wait(timeout: 20) { $0.contains("STOPPING=1") } != nil, "no STOPPING=1")
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("<3>reload failed; the running configuration is kept"), "\(log)")
        #expect(log.contains("<5>configuration reloaded"), "\(log)")
        #expect(log.contains("<5>rejected bao-cao-10525.xlsx"), "\(log)")
    }
}
