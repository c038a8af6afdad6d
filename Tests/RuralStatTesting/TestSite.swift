// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A site made by the real binary in a new temporary folder, as an admin makes one: `ruralstat
/// init DIR/site` (with the demo province, Hải Phòng, unless told otherwise), its settings
/// changed as a test needs, and the form's schema written out as JSON for the Python form fillers.
public struct TestSite: Sendable {
    /// The test's own folder: the site is `site/` in it; blanks, filled forms and `schema.json` sit beside.
    public let dir: String
    public var root: String { dir + "/site" }
    public var config: String { root + "/ruralstat.yaml" }
    public var schemaJSON: String { dir + "/schema.json" }
    public var inbox: String { root + "/var/inbox" }

    /// A setting of `ruralstat.yaml` changed from what `init` writes.
    public enum Setting: Sendable {
        /// `intake.settle_seconds` (init writes 2): 0 makes `serve --once` take files at once.
        case settleSeconds(Int)
        /// `intake.scan_interval_seconds` (init writes 30).
        case scanIntervalSeconds(Int)
        /// `intake.arrival_grace_seconds` (init writes 600).
        case arrivalGraceSeconds(Int)
        /// `intake.unit_folders: true` (init writes false).
        case unitFolders

        var replacement: (String, String) {
            switch self {
            case .settleSeconds(let s): ("settle_seconds: 2 ", "settle_seconds: \(s) ")
            case .scanIntervalSeconds(let s): ("scan_interval_seconds: 30 ", "scan_interval_seconds: \(s) ")
            case .arrivalGraceSeconds(let s): ("arrival_grace_seconds: 600", "arrival_grace_seconds: \(s)")
            case .unitFolders: ("unit_folders: false", "unit_folders: true")
            }
        }
    }

    /// The demo province's site (`init --demo`), with `settings`, in a folder named after the
    /// calling test.
    public static func demo(_ settings: Setting..., name: String = #function) throws -> TestSite {
        try make(demo: true, settings, name: name)
    }

    /// A site made by `init` (`--demo` when `demo`), with `settings` changed and `schema.json` written.
    public static func make(demo: Bool, _ settings: [Setting] = [], name: String = #function) throws -> TestSite {
        let site = TestSite(dir: try temporaryFolder(name))
        let made = try Binary.run(["init", site.root] + (demo ? ["--demo"] : []))
        guard made.status == 0 else { throw SetupFailure(step: "ruralstat init", output: made.stderr) }
        try site.change(settings)
        let schema = try Binary.run(["schema", "--json", "--config", site.config])
        guard schema.status == 0 else { throw SetupFailure(step: "ruralstat schema --json", output: schema.stderr) }
        try schema.stdout.write(toFile: site.schemaJSON, atomically: true, encoding: .utf8)
        return site
    }

    /// Changes settings of the configuration; a setting `init` no longer writes as expected fails
    /// the set-up rather than leaving the test on the default.
    public func change(_ settings: [Setting]) throws {
        try editConfiguration { text in
            try settings.reduce(text) { text, setting in
                let (old, new) = setting.replacement
                guard text.contains(old) else { throw SetupFailure(step: "changing \(old.trimmingCharacters(in: .whitespaces))", output: "not in \(config)") }
                return text.replacingOccurrences(of: old, with: new)
            }
        }
    }

    /// Rewrites the configuration's text.
    public func editConfiguration(_ edit: (String) throws -> String) throws {
        try edit(String(contentsOfFile: config, encoding: .utf8)).write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// A blank form of `unit` for `period` made by `ruralstat template`, filled by openpyxl from
    /// `seed` (`fill_form.py`) and written to `path`; returns the figures it put in, as
    /// `fill_form.py` reports them (`expected`, when given, keeps them as a file). `textInNumber`
    /// puts text into a number cell; `options` are more of `fill_form.py`'s (`--times …`).
    @discardableResult
    public func fill(unit: String, period: String = "2025-Q3", seed: Int, to path: String, expected: String? = nil,
                     textInNumber: Bool = false, options: [String] = []) throws -> [String: Any] {
        // Beside the site, not beside `path`: that may be the inbox.
        let stem = "fill-\(unit)-\(UUID().uuidString.prefix(8))"
        let blank = dir + "/" + stem + ".xlsx", report = expected ?? dir + "/" + stem + ".json"
        let made = try Binary.run(["template", "--period", period, "--unit", unit, "--config", config, "--out", blank])
        guard made.status == 0 else { throw SetupFailure(step: "ruralstat template --unit \(unit)", output: made.stderr) }
        defer { try? FileManager.default.removeItem(atPath: blank) }
        let filled = try Binary.python("fill_form.py", [schemaJSON, blank, path, report, String(seed)]
                                        + (textInNumber ? ["--text-in-number"] : []) + options)
        guard filled.status == 0 else { throw SetupFailure(step: "openpyxl filling the form of \(unit)", output: filled.stderr) }
        defer { if expected == nil { try? FileManager.default.removeItem(atPath: report) } }
        return try json(String(contentsOfFile: report, encoding: .utf8)) as? [String: Any] ?? [:]
    }
}

/// A test's set-up that did not work: the test stops there, with what the step said.
public struct SetupFailure: Error, CustomStringConvertible {
    public var step: String
    public var output: String
    public var description: String { "set-up failed: \(step): \(output)" }

    public init(step: String, output: String) {
        self.step = step
        self.output = output
    }
}
