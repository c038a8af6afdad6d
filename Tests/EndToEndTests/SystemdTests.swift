// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
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

@Suite("Under systemd: notifications, reload and stop", .serialized, .tags(.endToEnd))
struct SystemdTests {
    @Test func theDaemonTellsSystemdItIsReadyBusyReloadingAndStopping() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        let dir = site.dir, config = site.config
        let original = try String(contentsOfFile: config, encoding: .utf8)
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

/// The unit files in `systemd/`, as systemd reads them: every service rated at most 1.0 by
/// `systemd-analyze security` (what `make unit-check` checks), every unit loaded without a
/// warning, and the mail units (issue 16) sending from the outbox of the shipped configuration,
/// with the network the daemon's unit does not have.
@Suite("The shipped systemd units", .tags(.endToEnd))
struct SystemdUnitFileTests {
    static let folder = Repository.path("systemd")

    /// `systemd-analyze`, where systemd is installed (`make unit-check` installs it).
    static let analyze: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":").map { $0 + "/systemd-analyze" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    static func units(_ suffixes: String...) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { name in suffixes.contains { name.hasSuffix($0) } }.sorted()
    }

    /// The `Key=value` lines of a unit file, in order, comments left out.
    static func settings(_ unit: String) throws -> [(key: String, value: String)] {
        try String(contentsOfFile: folder + "/" + unit, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let eq = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<eq]), String(line[line.index(after: eq)...]))
        }
    }

    static func values(_ unit: String, _ key: String) throws -> [String] {
        try settings(unit).filter { $0.key == key }.map(\.value)
    }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func everyServiceIsRatedAtMostOnePointZero() throws {
        let services = try Self.units(".service")
        #expect(services.contains("ruralstat-mail.service"))
        for service in services {
            let r = try Binary.run(["security", "--offline=yes", Self.folder + "/" + service], executable: Self.analyze!)
            // "→ Overall exposure level for ruralstat-mail.service: 0.9 SAFE 😀"
            let overall = r.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? ""
            let exposure = overall.split(separator: " ").compactMap { Double($0) }.last
            #expect(exposure != nil && exposure! <= 1.0, "\(service): \(overall.isEmpty ? r.stderr : String(overall))")
        }
    }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func everyUnitLoadsWithoutAWarning() throws {
        // verify checks that ExecStart= is executable: /usr/local/bin/ruralstat is not here.
        let dir = try temporaryFolder()
        var paths: [String] = []
        for unit in try Self.units(".service", ".timer", ".path") {
            let text = try String(contentsOfFile: Self.folder + "/" + unit, encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/ruralstat", with: "/bin/true")
            try text.write(toFile: dir + "/" + unit, atomically: true, encoding: .utf8)
            paths.append(dir + "/" + unit)
        }
        let r = try Binary.run(["verify"] + paths, executable: Self.analyze!)
        #expect(r.status == 0 && (r.stdout + r.stderr).isEmpty, "\(r.stdout)\(r.stderr)")
    }

    @Test func theMailUnitsSendFromTheShippedOutboxWithTheNetworkTheDaemonHasNot() throws {
        #expect(try Set(Self.units(".service", ".timer", ".path")).isSuperset(of: ["ruralstat-mail.service", "ruralstat-mail.path", "ruralstat-mail.timer"]))
        let config = try String(contentsOfFile: Self.folder + "/ruralstat.yaml", encoding: .utf8)
        let outbox = try #require(config.split(separator: "\n").lazy.compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count >= 2 && words[0] == "outbox:" ? String(words[1]) : nil
        }.first)
        #expect(outbox == "/srv/ruralstat/outbox")

        // The path unit watches the outbox for new messages, never for what stays in it.
        #expect(try Self.values("ruralstat-mail.path", "PathChanged") == [outbox])
        for looping in ["DirectoryNotEmpty", "PathExistsGlob", "PathExists"] {
            #expect(try Self.values("ruralstat-mail.path", looping).isEmpty, "\(looping)= would start the service again while a message waits")
        }
        #expect(try Self.values("ruralstat-mail.timer", "OnUnitInactiveSec").count == 1)
        #expect(try Self.values("ruralstat-mail.timer", "OnBootSec").count == 1)

        // The service runs `mail send` as ruralstat, writes the outbox only, takes exit 1
        // (messages wait) as success, and reaches the network, localhost only until a drop-in.
        let service = "ruralstat-mail.service"
        #expect(try Self.values(service, "Type") == ["oneshot"])
        #expect(try Self.values(service, "User") == ["ruralstat"])
        #expect(try Self.values(service, "ExecStart") == ["/usr/local/bin/ruralstat mail send --config /etc/ruralstat/ruralstat.yaml"])
        #expect(try Self.values(service, "ReadWritePaths") == [outbox])
        #expect(try Self.values(service, "SuccessExitStatus") == ["1"])
        #expect(try Self.values(service, "PrivateNetwork").isEmpty)
        #expect(try Self.values(service, "RestrictAddressFamilies") == ["AF_INET AF_INET6 AF_UNIX"])
        #expect(try Self.values(service, "IPAddressDeny") == ["any"])
        #expect(try Self.values(service, "IPAddressAllow") == ["localhost"])
        // The credential is where the README's mail: example reads the password.
        #expect(try Self.values(service, "LoadCredential").map { $0.hasPrefix("smtp:") } == [true])
        let readme = try String(contentsOfFile: Repository.path("README.md"), encoding: .utf8)
        #expect(readme.contains("password_file: /run/credentials/ruralstat-mail.service/smtp"))

        // The daemon's unit keeps no network.
        #expect(try Self.values("ruralstat.service", "PrivateNetwork") == ["yes"])
        #expect(try Self.values("ruralstat.service", "RestrictAddressFamilies") == ["AF_UNIX"])
        #expect(try Self.values("ruralstat.service", "IPAddressAllow").isEmpty)

        // tmpfiles.d makes the outbox, private to the service (ReadWritePaths= needs it to exist).
        let tmpfiles = try String(contentsOfFile: Self.folder + "/tmpfiles.d/ruralstat.conf", encoding: .utf8)
        #expect(tmpfiles.split(separator: "\n").contains { $0.split(separator: " ").map(String.init) == ["d", outbox, "0700", "ruralstat", "ruralstat", "-"] })

        // Shipped disabled: each header says to enable them once the configuration has mail:.
        for unit in ["ruralstat-mail.path", "ruralstat-mail.timer", service] {
            let text = try String(contentsOfFile: Self.folder + "/" + unit, encoding: .utf8)
            #expect(text.contains("systemctl enable --now ruralstat-mail.path ruralstat-mail.timer"), "\(unit)")
            #expect(text.contains("mail: section"), "\(unit)")
        }
    }
}
