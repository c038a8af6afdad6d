// SPDX-License-Identifier: Apache-2.0
import Foundation
public import RuralStatCore
public import XLSX
import Yams
public import RuralStatMail

/// Why a configuration file was refused.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Everything the daemon and the commands need to know, loaded from one YAML file. Every
/// path may be relative to the file. The defaults are the ones documented in the example
/// configuration (`systemd/ruralstat.yaml`).
public struct Configuration: Sendable {
    /// The runtime folders. `work` and `archive` must be on the same file system as `inbox`.
    public struct Paths: Sendable {
        public var inbox: String
        public var work: String
        public var archive: String
        public var rejected: String
        public var feedback: String
        public var reports: String
        public var state: String

        /// The province's approved quarters, as written for the level above (`period approve`).
        public var outbound: String
        /// Messages waiting to be mailed (`sent/` and `failed/` inside); made when the first
        /// message is written, so a configuration without `mail:` needs no such folder.
        public var outbox: String
        /// The Samba shares' per-account folders (`bao-cao/<account>`, `phan-hoi/<account>`):
        /// links to each unit's inbox and answers folder, kept by the daemon (`ruralstat samba-conf`).
        public var shares: String
        public var database: String { state + "/ruralstat.sqlite" }
        public var all: [String] { [inbox, work, archive, rejected, feedback, reports, state] }

        /// The folders a file moves between by one rename (claimed from the inbox into `work/`,
        /// then into `archive/` or `rejected/`) that are not on one file system: a rename
        /// across file systems fails ("Invalid cross-device link") for every file. Each pair
        /// named; empty when all is well or a folder does not exist yet.
        public func renameProblems() -> [String] {
            var devices: [(String, String, dev_t)] = []
            for (name, path) in [("inbox", inbox), ("work", work), ("archive", archive), ("rejected", rejected)] {
                var st = stat()
                if stat(path, &st) == 0 { devices.append((name, path, st.st_dev)) }
            }
            guard let first = devices.first else { return [] }
            return devices.dropFirst().filter { $0.2 != first.2 }.map {
                "\($0.0) (\($0.1)) is not on the file system of \(first.0) (\(first.1)): files move between them by rename, which cannot cross file systems"
            }
        }
    }

    /// How the drop folder is watched.
    public struct Intake: Sendable {
        /// A file is taken once its size and time have not changed for this long. Default 2.
        public var settleSeconds: Double = 2
        /// Full rescans of the inbox, whatever inotify says. Default 30.
        public var scanIntervalSeconds: Double = 30
        /// Units drop into `inbox/<unit code>/`; a file claiming another unit is rejected. Default false.
        public var unitFolders = false
        /// Reports are rebuilt when nothing more is settling in the inbox and this long has
        /// passed since the last accepted file. Default 0: files still settling already mark a burst.
        public var publishDelaySeconds: Double = 0
        /// …but never later than this after the first file of a long burst. Default 60.
        public var publishMaxDelaySeconds: Double = 60
        /// Files read and checked at the same time (storing stays one at a time). Default: the
        /// processor count, at most 4.
        public var parallelFiles = min(4, max(1, ProcessInfo.processInfo.activeProcessorCount))
        /// A file that looks cut short and was written to less than this long ago is an upload
        /// that paused: it goes back to the inbox instead of being refused. Default 600.
        public var arrivalGraceSeconds: Double = 600
        /// A file whose processing failed (a folder not writable, a full disk) is tried again
        /// after this long, doubling up to 15 minutes. Default 10.
        public var retrySeconds: Double = 10
        /// A workbook with an editor's owner file beside it (Excel's `~$name.xlsx`, LibreOffice's
        /// `.~lock.name.xlsx#`) is still being worked on and waits; an owner file older than
        /// this many hours was left by an editor that crashed, and the file is taken. Default 8.
        public var openWaitHours: Double = 8
    }

    /// Where the configuration was read from; relative paths are resolved against its folder.
    public var file: String
    public var province: Province
    public var schemaPath: String
    /// The province-level form the approved quarter is written in (`upward_schema`; default:
    /// `province-v1.yaml` beside the schema).
    public var upwardSchemaPath: String
    public var reportsPath: String
    public var paths: Paths
    public var intake = Intake()
    public var limits = ReadLimits()
    /// A file received more than this many days after its quarter ends is late (still
    /// accepted, and shown as late). Default 15.
    public var deadlineDays = 15
    /// The periods files are accepted for (`reporting.first_period`, `reporting.quarters_ahead`).
    public var periodWindow = PeriodWindow()
    /// A share of the ministry mounted on this server, where each approved quarter is copied
    /// (`upward.folder`); nil: not copied.
    public var upwardFolder: String?
    /// Mail to the units and managers; nil: nothing is mailed.
    public var mail: MailSettings?
    /// Predecessor units whose history counts under their successors.
    public var successions: [UnitSuccession] = []

    /// Loads and checks a configuration file.
    public static func load(path: String) throws -> Configuration {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError("Cannot read the configuration \(path). Create one with `ruralstat init DIR`.")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses configuration text; `file` gives the folder relative paths start from.
    public static func parse(yaml: String, file: String) throws -> Configuration {
        let raw: Raw
        do {
            raw = try YAMLDecoder().decode(Raw.self, from: yaml)
        } catch {
            throw ConfigurationError("\(file): \(error)")
        }
        let base = URL(fileURLWithPath: file).deletingLastPathComponent().path
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : URL(fileURLWithPath: base).appendingPathComponent(p).standardizedFileURL.path
        }
        if let code = raw.province.code, !(code.count == 2 && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber)) {
            throw ConfigurationError("\(file): province.code '\(code)' is not a province's two-digit code (Quyết định 19/2025/QĐ-TTg: \"31\" for Hải Phòng)")
        }
        guard !raw.units.isEmpty else { throw ConfigurationError("\(file): 'units' lists no reporting unit") }
        var codes = Set<String>()
        for u in raw.units {
            guard u.code.isPlainName else {
                throw ConfigurationError("\(file): unit code '\(u.code)' may only hold letters, digits, - and _")
            }
            guard codes.insert(u.code.uppercased()).inserted else {
                throw ConfigurationError("\(file): unit code '\(u.code)' is listed twice")
            }
        }
        let p = raw.paths ?? RawPaths()
        let root = p.root ?? "var"
        func path(_ given: String?, _ name: String) -> String { resolve(given ?? "\(root)/\(name)") }
        var config = Configuration(
            file: file,
            province: Province(name: raw.province.name, parentBody: raw.province.parent_body,
                               issuingBody: raw.province.issuing_body, place: raw.province.place ?? raw.province.name,
                               units: raw.units, code: raw.province.code),
            schemaPath: resolve(raw.schema ?? "templates/quarterly-v1.yaml"),
            upwardSchemaPath: raw.upward_schema.map(resolve)
                ?? (resolve(raw.schema ?? "templates/quarterly-v1.yaml") as NSString).deletingLastPathComponent + "/province-v1.yaml",
            reportsPath: resolve(raw.reports ?? "reports"),
            paths: Paths(inbox: path(p.inbox, "inbox"), work: path(p.work, "work"), archive: path(p.archive, "archive"),
                         rejected: path(p.rejected, "rejected"), feedback: path(p.feedback, "feedback"),
                         reports: path(p.reports, "reports"), state: path(p.state, "state"), outbound: path(p.outbound, "outbound"),
                         outbox: path(p.outbox, "outbox"), shares: path(p.shares, "shares")))
        try SambaShare.checkAccounts(raw.units, file: file)
        try config.readIntake(raw.intake, file: file)
        try config.readReporting(raw.reporting, file: file)
        config.successions = try Self.successions(raw.successions ?? [], units: raw.units, province: config.province, file: file)
        if let m = raw.mail {
            config.mail = try Self.mailSettings(m, file: file, resolve: resolve)
            for u in raw.units { for address in u.email ?? [] where !address.isMailAddress {
                throw ConfigurationError("\(file): unit \(u.code): '\(address)' is not a mail address")
            } }
        }
        config.limits.read(raw.limits)
        config.upwardFolder = raw.upward?.folder.map(resolve)
        return config
    }

    /// The `intake:` section over the defaults, checked.
    private mutating func readIntake(_ raw: RawIntake?, file: String) throws {
        if let i = raw {
            intake.settleSeconds = i.settle_seconds ?? intake.settleSeconds
            intake.scanIntervalSeconds = i.scan_interval_seconds ?? intake.scanIntervalSeconds
            intake.unitFolders = i.unit_folders ?? intake.unitFolders
            intake.publishDelaySeconds = i.publish_delay_seconds ?? intake.publishDelaySeconds
            intake.publishMaxDelaySeconds = i.publish_max_delay_seconds ?? intake.publishMaxDelaySeconds
            intake.parallelFiles = i.parallel_files ?? intake.parallelFiles
            intake.arrivalGraceSeconds = i.arrival_grace_seconds ?? intake.arrivalGraceSeconds
            intake.retrySeconds = i.retry_seconds ?? intake.retrySeconds
            intake.openWaitHours = i.open_wait_hours ?? intake.openWaitHours
        }
        guard intake.scanIntervalSeconds > 0, intake.settleSeconds >= 0,
              intake.publishDelaySeconds >= 0, intake.publishMaxDelaySeconds >= 0,
              intake.arrivalGraceSeconds >= 0, intake.retrySeconds > 0, intake.openWaitHours >= 0 else {
            throw ConfigurationError("\(file): intake times must be positive")
        }
        guard (1...64).contains(intake.parallelFiles) else {
            throw ConfigurationError("\(file): intake.parallel_files must be between 1 and 64 (it is \(intake.parallelFiles))")
        }
    }

    /// The `reporting:` section over the defaults, checked.
    private mutating func readReporting(_ raw: RawReporting?, file: String) throws {
        if let d = raw?.deadline_days {
            guard d >= 0 else { throw ConfigurationError("\(file): reporting.deadline_days must not be negative") }
            deadlineDays = d
        }
        if let text = raw?.first_period {
            guard let p = Period(text) else { throw ConfigurationError("\(file): reporting.first_period '\(text)' is not a period like 2025-Q3") }
            periodWindow.first = p
        }
        if let ahead = raw?.quarters_ahead {
            guard (0...8).contains(ahead) else { throw ConfigurationError("\(file): reporting.quarters_ahead must be between 0 and 8") }
            periodWindow.quartersAhead = ahead
        }
    }

    /// The `successions:` entries, each checked against the units and their areas.
    private static func successions(_ entries: [UnitSuccessionEntry], units: [ReportingUnit], province: Province,
                                    file: String) throws -> [UnitSuccession] {
        var out: [UnitSuccession] = []
        let areas = Set(units.compactMap(\.group))
        for entry in entries {
            let targets = [entry.to != nil, entry.area != nil, entry.province == true].filter { $0 }.count
            guard targets == 1 else {
                throw ConfigurationError("\(file): succession from \(entry.from): give one of `to: UNIT`, `area: NAME` or `province: true`")
            }
            if let area = entry.area {
                guard areas.contains(area) else {
                    throw ConfigurationError("\(file): succession \(entry.from) → area '\(area)': no unit has `group: \(area)` (areas: \(areas.sorted().joined(separator: ", ")))")
                }
                guard entry.share == nil else { throw ConfigurationError("\(file): succession \(entry.from) → area '\(area)': an area takes a predecessor whole; `share` is for units") }
                out.append(.toArea(from: entry.from, area))
                continue
            }
            if entry.province == true {
                guard entry.share == nil else { throw ConfigurationError("\(file): succession \(entry.from) → the province: `share` is for units") }
                out.append(.toProvince(from: entry.from))
                continue
            }
            let s = UnitSuccession(from: entry.from, to: entry.to!, share: entry.share ?? 1)
            guard province.unit(s.to) != nil || entries.contains(where: { $0.from == s.to }) else {
                throw ConfigurationError("\(file): succession \(s.from) → \(s.to): '\(s.to)' is not a unit")
            }
            guard s.share > 0 && s.share <= 1 else { throw ConfigurationError("\(file): succession \(s.from) → \(s.to): share must be in (0, 1]") }
            out.append(s)
        }
        return out
    }

    private static func mailSettings(_ m: RawMail, file: String, resolve: (String) -> String) throws -> MailSettings {
        guard let from = m.from, from.isEmpty == false, MailSettings.address(from).isMailAddress else {
            throw ConfigurationError("\(file): mail.from must be an address, like \"Sở Công Thương <ruralstat@example.gov.vn>\"")
        }
        var s = MailSettings(from: from)
        if let t = m.transport {
            guard let v = MailSettings.Transport(rawValue: t) else { throw ConfigurationError("\(file): mail.transport is smtp or sendmail, not '\(t)'") }
            s.transport = v
        }
        if let smtp = m.smtp {
            s.host = smtp.host ?? s.host
            if let sec = smtp.security {
                guard let v = MailSettings.Security(rawValue: sec) else { throw ConfigurationError("\(file): mail.smtp.security is none, starttls or tls, not '\(sec)'") }
                s.security = v
            }
            s.port = smtp.port ?? (s.security == .tls ? 465 : s.security == .none ? 25 : 587)
            s.caFile = smtp.ca_file.map(resolve)
        }
        s.username = m.username
        s.passwordFile = m.password_file.map(resolve)
        s.managers = m.managers ?? []
        s.admin = m.admin
        s.upward = m.upward
        s.giveUpHours = m.give_up_hours ?? s.giveUpHours
        s.messageTimeoutSeconds = m.timeout_seconds ?? s.messageTimeoutSeconds
        s.digestMinutes = m.digest_minutes ?? s.digestMinutes
        if let days = m.remind_days_before {
            guard days.allSatisfy({ (1...90).contains($0) }) else {
                throw ConfigurationError("\(file): mail.remind_days_before lists days from 1 to 90 before the deadline, like [7, 1]; [] sends no reminder")
            }
            s.remindDaysBefore = Array(Set(days)).sorted(by: >)
        }
        for (name, v) in [("digest_minutes", m.digest_minutes), ("admin_minutes", m.admin_minutes), ("give_up_hours", m.give_up_hours), ("timeout_seconds", m.timeout_seconds)] {
            if let v, !(v >= 0) { throw ConfigurationError("\(file): mail.\(name) must not be negative") }
        }
        s.adminMinutes = m.admin_minutes ?? s.adminMinutes
        for address in s.managers + [s.admin, s.upward].compactMap({ $0 }) where !address.isMailAddress {
            throw ConfigurationError("\(file): mail: '\(address)' is not a mail address")
        }
        return s
    }

    private struct RawMail: Decodable {
        struct SMTP: Decodable { var host: String?; var port: Int?; var security: String?; var ca_file: String? }
        var transport: String?
        var smtp: SMTP?
        var username: String?
        var password_file: String?
        var from: String?
        var managers: [String]?
        var admin: String?
        var upward: String?
        var give_up_hours: Double?
        var timeout_seconds: Double?
        var digest_minutes: Double?
        var remind_days_before: [Int]?
        var admin_minutes: Double?
    }

    private struct RawProvince: Decodable {
        var code: String?
        var name: String
        var parent_body: String
        var issuing_body: String
        var place: String?
    }
    private struct RawPaths: Decodable {
        var root: String?
        var inbox: String?, work: String?, archive: String?, rejected: String?
        var feedback: String?, reports: String?, state: String?, outbox: String?, outbound: String?, shares: String?
    }
    private struct RawIntake: Decodable {
        var settle_seconds: Double?
        var scan_interval_seconds: Double?
        var unit_folders: Bool?
        var publish_delay_seconds: Double?
        var publish_max_delay_seconds: Double?
        var parallel_files: Int?
        var arrival_grace_seconds: Double?
        var retry_seconds: Double?
        var open_wait_hours: Double?
    }
    fileprivate struct RawLimits: Decodable {
        var max_file_mb: Int?, max_entry_mb: Int?, max_total_mb: Int?
        var max_compression_ratio: Int?, max_cells: Int?
    }
    private struct RawReporting: Decodable {
        var deadline_days: Int?
        var first_period: String?
        var quarters_ahead: Int?
    }
    private struct Raw: Decodable {
        var province: RawProvince
        var reporting: RawReporting?
        var successions: [UnitSuccessionEntry]?
        var units: [ReportingUnit]
        var schema: String?
        var upward_schema: String?
        var reports: String?
        var paths: RawPaths?
        var intake: RawIntake?
        var limits: RawLimits?
        var mail: RawMail?
        var upward: RawUpward?
    }
    private struct RawUpward: Decodable {
        var folder: String?
    }
}

/// A `successions:` entry: `{from: OLD, to: NEW, share: 1}`, `{from: OLD, area: NAME}` or
/// `{from: OLD, province: true}`.
struct UnitSuccessionEntry: Decodable {
    var from: String
    var to: String?
    var area: String?
    var province: Bool?
    var share: Double?
}

extension ReadLimits {
    /// The `limits:` section over the defaults (sizes in MB).
    fileprivate mutating func read(_ raw: Configuration.RawLimits?) {
        if let l = raw {
            if let v = l.max_file_mb { maxFileBytes = v << 20 }
            if let v = l.max_entry_mb { maxEntryBytes = v << 20 }
            if let v = l.max_total_mb { maxTotalBytes = v << 20 }
            if let v = l.max_compression_ratio { maxCompressionRatio = v }
            if let v = l.max_cells { maxCells = v }
        }
    }
}
