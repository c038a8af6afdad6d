// SPDX-License-Identifier: Apache-2.0
public import Foundation
import RuralStatFiles
#if canImport(Glibc)
import Glibc
#endif

/// Messages are files, durable like the originals: the daemon writes each one into `outbox/`
/// (atomically, after the verdict it reports is committed); `ruralstat mail send` hands them to
/// the relay and moves each to `sent/` once the relay has taken it, or to `failed/` when the relay
/// refuses it for good or it has waited too long. A crash can at worst send a message twice
/// (it keeps its Message-ID), never lose one.
public struct Outbox: Sendable {
    public let folder: String
    public var sent: String { folder + "/sent" }
    public var failed: String { folder + "/failed" }

    public init(folder: String) { self.folder = folder }

    /// Writes a message to be sent; returns its path.
    @discardableResult
    public func write(_ message: MailMessage) throws -> String {
        let path = path(of: message)
        try DurableFiles.publish(path, data: message.rendered())
        return path
    }

    /// Where `write` puts `message`.
    public func path(of message: MailMessage) -> String {
        folder + "/" + Timestamp.compact(message.date) + "-" + String(message.messageID.prefix(12)).filter { $0.isLetter || $0.isNumber } + ".eml"
    }

    /// The messages waiting, oldest first.
    public func pending() -> [String] { Self.messages(in: folder) }

    static func messages(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".eml") && !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
    }

    /// What one `send` did.
    public struct Report: Sendable {
        public var sent: [String] = []
        public var waiting: [(path: String, why: String)] = []
        /// Where each message that will never be delivered is now kept (in `failed/`), and why.
        public var failed: [(path: String, why: String)] = []
        /// Every message this pass looked at.
        public var tried: Set<String> = []
        /// Entries of the outbox that are not messages the daemon wrote (a link, a folder, a
        /// file of another owner or name): moved into `aside/`, never sent, and why.
        public var setAside: [(path: String, why: String)] = []

        public init() {}
    }

    /// Sends every waiting message through `deliver` (the relay), but those in `skip` (tried
    /// already in this run); `now` decides which have waited too long. Once the relay is found
    /// unavailable the rest are not tried (a relay that never answers would cost its timeout
    /// for each): they wait, or go to `failed/` if they have waited too long.
    public func send(settings: MailSettings, now: Date = Date(), skip: Set<String> = [],
                     deliver: ((Data, String, [String]) -> DeliveryResult)? = nil) -> Report {
        let deliver = deliver ?? { m, from, to in MailTransport.send(m, from: from, to: to, settings: settings) }
        var report = Report()
        // One sender at a time: two at once (a timer's and an admin's) both handed nearly every
        // message to the relay. The lock is the outbox folder's own (flock), let go when this
        // returns or the process ends, however it ends; the second sender leaves the messages
        // waiting for the first.
        let lock = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if lock >= 0 { close(lock) } }
        if lock >= 0, flock(lock, LOCK_EX | LOCK_NB) != 0, errno == EWOULDBLOCK {
            report.waiting = pending().map { ($0, "another mail send is sending the outbox now") }
            return report
        }
        // What a sender killed before its rename left behind (a `.reason` or `.told` half
        // written): nobody finishes it, and its message is whole where it was.
        DurableFiles.removeAbandonedTemporaries(under: folder)
        report.setAside = setAsideStrangers()
        var unavailable: String?
        for path in pending() where !skip.contains(path) {
            report.tried.insert(path)
            if let why = unavailable {
                keepWaiting(path, "not tried: " + why)
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                report.waiting.append((path, "cannot read it"))
                continue
            }
            let recipients = Self.recipients(data)
            let result = recipients.isEmpty ? .refused("the message names no recipient") : deliver(data, settings.fromAddress, recipients)
            do {
                switch result {
                case .sent:
                    try DurableFiles.move(path, to: DurableFiles.freeName(in: sent, (path as NSString).lastPathComponent))
                    report.sent.append(path)
                case .refused(let why):
                    try giveUp(path, why)
                case .later(let why):
                    keepWaiting(path, why)
                case .unavailable(let why):
                    unavailable = why
                    keepWaiting(path, why)
                }
            } catch {
                report.waiting.append((path, "\(error)"))
            }
        }
        return report

        /// Moves a message to `failed/`, with why beside it (`<name>.reason`) for the admin's notice.
        func giveUp(_ path: String, _ why: String) throws {
            let kept = DurableFiles.freeName(in: failed, (path as NSString).lastPathComponent)
            try DurableFiles.move(path, to: kept)
            try? DurableFiles.publish(kept + ".reason", data: Data(why.utf8))
            report.failed.append((kept, why))
        }
        /// A message the relay did not take now: it waits, unless it has waited too long.
        func keepWaiting(_ path: String, _ why: String) {
            let written = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
            guard now.timeIntervalSince(written) > settings.giveUpHours * 3_600 else {
                report.waiting.append((path, why))
                return
            }
            do { try giveUp(path, "waited more than \(Int(settings.giveUpHours)) hours: " + why) } catch {
                report.waiting.append((path, "\(error)"))
            }
        }
    }

    /// Where entries that are not the daemon's messages are moved.
    public var aside: String { folder + "/aside" }

    /// Why an entry named like a message is not one the daemon wrote, nil when it is: a
    /// regular file (not a link, not a folder) owned by this process's user (the daemon's: the
    /// mail unit runs as it), named as `write` names messages. (No header is required: messages
    /// an earlier version wrote must still go.)
    static func stranger(_ path: String) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: return "a symbolic link, not a message"
        case S_IFDIR: return "a folder, not a message"
        default: return "not a regular file"
        }
        if st.st_uid != geteuid() { return "owned by uid \(st.st_uid), not by the daemon's user" }
        let name = (path as NSString).lastPathComponent
        guard name.wholeMatch(of: /\d{8}-\d{6}-[A-Za-z0-9]{1,12}(-\d+)?\.eml/) != nil else { return "not named as the daemon names its messages" }
        return nil
    }

    /// Moves every entry of the outbox that is named like a message but is not one the daemon
    /// wrote into `aside/`, so that it is neither sent nor left to fail every run.
    func setAsideStrangers() -> [(path: String, why: String)] {
        var out: [(path: String, why: String)] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".eml") && !$0.hasPrefix(".") }
        for name in names.sorted() {
            let path = folder + "/" + name
            guard let why = Self.stranger(path) else { continue }
            do {
                try DurableFiles.makeDirectory(aside, mode: 0o700)
                let dest = DurableFiles.freeName(in: aside, name)
                guard rename(path, dest) == 0 else { throw FileError(operation: "rename", path: path, code: errno) }
                out.append((dest, why))
            } catch {
                out.append((path, why + "; could not be moved aside: \(error)"))
            }
        }
        return out
    }

    /// Messages in `failed/` the admin has not been told of yet (no `<name>.told` beside them),
    /// with why they failed. Told only once the notice is in the outbox, so a crash in between
    /// tells twice rather than never.
    public func untoldFailures() -> [Failure] {
        Self.messages(in: failed).filter { !FileManager.default.fileExists(atPath: $0 + ".told") }.map { path in
            let head = Self.summary(path)
            return Failure(path: path, why: (try? String(contentsOfFile: path + ".reason", encoding: .utf8)) ?? "the reason was not recorded",
                           to: head.to, subject: head.subject)
        }
    }

    /// A message in `failed/`: why, to whom, about what.
    public struct Failure: Sendable {
        public var path: String
        public var why: String
        public var to: [String]
        public var subject: String
    }

    /// Records that the admin was told of these failed messages.
    public func markTold(_ paths: [String]) throws {
        for path in paths { try DurableFiles.publish(path + ".told", data: Data()) }
    }

    /// Whether `send` can do its work: the folders it moves messages into exist (made here) and
    /// may be written. A sender that could not move a sent message would send it again each run.
    public func checkWritable() throws {
        for dir in [folder, sent, failed] {
            try DurableFiles.makeDirectory(dir)
            guard access(dir, W_OK) == 0 else {
                throw FileError(operation: "write into", path: dir, code: errno)
            }
        }
    }

    /// The addresses of a message's `To:` header (the daemon writes bare addresses there).
    static func recipients(_ message: Data) -> [String] {
        let head = message.prefix(headSize)
        let text = String(decoding: head, as: UTF8.self)
        for line in text.components(separatedBy: "\r\n") {
            if line.isEmpty { break }
            if line.lowercased().hasPrefix("to:") {
                return line.dropFirst(3).split(separator: ",").map { MailSettings.address(String($0)) }.filter(\.isMailAddress)
            }
        }
        return []
    }

    /// The subject of a message, decoded, for `mail list`.
    static func subject(_ message: Data) -> String {
        let text = String(decoding: message.prefix(headSize), as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        guard let start = lines.firstIndex(where: { $0.lowercased().hasPrefix("subject:") }) else { return "" }
        var header = String(lines[start].dropFirst(8))
        lines = Array(lines[(start + 1)...])
        for line in lines { if line.hasPrefix(" ") { header += line } else { break } }
        return header.split(separator: " ").map { word -> String in
            let w = String(word)
            guard w.hasPrefix("=?UTF-8?B?"), w.hasSuffix("?="), let d = Data(base64Encoded: String(w.dropFirst(10).dropLast(2))) else { return w + " " }
            return String(decoding: d, as: UTF8.self)
        }.joined().trimmingCharacters(in: .whitespaces)
    }

    /// The recipients and decoded subject of the message at `path`.
    /// Read from the message's head alone: its attachments can be megabytes, and `sent/` only grows.
    public static func summary(_ path: String) -> (to: [String], subject: String) {
        let handle = FileHandle(forReadingAtPath: path)
        defer { try? handle?.close() }
        let head = (try? handle?.read(upToCount: headSize)) ?? Data()
        return (recipients(head), subject(head))
    }

    /// How much of a message `recipients` and `subject` look at: its headers.
    static let headSize = 16_384

    /// Every message with its state (pending, sent, failed), recipients and subject.
    public func list() -> [(state: String, path: String, to: [String], subject: String)] {
        [("pending", folder), ("sent", sent), ("failed", failed)].flatMap { state, dir in
            Self.messages(in: dir).map { path in
                let head = Self.summary(path)
                return (state, path, head.to, head.subject)
            }
        }
    }
}
