// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatCore
import RuralStatConfig
import RuralStatDemo
import RuralStatFiles

/// `ruralstat init DIR [--demo] [--national]`: a working configuration and the folder layout.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create DIR/ruralstat.yaml, copy the schema and report definitions, and make the runtime folders.")

    @Argument(help: "The folder to set up.")
    var directory: String

    @Flag(help: "Use the demo province: Hải Phòng since 1 July 2025, its 114 communes in 27 areas and the districts before them.")
    var demo = false

    @Flag(help: "The ministry's instance: the 34 provinces (grouped by region, with the 63 former provinces as their history until 2025-Q2) send the province-level form. With --demo, generated province files since 2024-Q1.")
    var national = false

    @Flag(help: "Replace an existing ruralstat.yaml.")
    var force = false

    func run() throws {
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: directory).standardizedFileURL.path
        let configPath = dir + "/ruralstat.yaml"
        if fm.fileExists(atPath: configPath) && !force {
            throw CommandFailure.config("\(configPath) exists already; pass --force to replace it.")
        }
        guard let share = ShareLocator.find() else {
            throw CommandFailure.config("Cannot find the shipped templates/ and reports/; set RURALSTAT_SHARE.")
        }
        do {
            try DurableFiles.makeDirectory(dir)
            try Self.copyDefinitions(from: share, into: dir, replacingAll: false)
            try DurableFiles.publish(configPath, data: Data(configurationText().utf8))
            if national { try Self.addressReportsToTheMinistry(dir + "/reports") }
            let config = try Configuration.load(path: configPath)
            for folder in config.paths.all { try DurableFiles.makeDirectory(folder) }
            if national && demo {
                // The provinces' approved quarters since 2024-Q1, up to the last finished one.
                try DemoCommand.giveNationalPast(config: config, definitions: try loadDefinitions(config),
                                                 period: StatusCommand.lastFinishedQuarter(Date()).next)
            }
            print("Created \(configPath)")
            print("Inbox: \(config.paths.inbox)")
            print("Run:   ruralstat serve --config \(configPath)")
        }
    }

    /// The configuration for the site asked for: the ministry's, the demo province's, or a
    /// province's to fill in.
    private func configurationText() throws -> String {
        if national {
            // The provinces approve within the communes' 15 days; the ministry's own deadline is its to set.
            return ConfigurationTemplate.text(province: NationalUnits.country, successions: NationalUnits.successions,
                                              schema: "templates/province-v1.yaml", deadlineDays: 30)
        }
        let province = demo ? DemoProvince.province : Province(
            name: "Tỉnh …", parentBody: "UBND TỈNH …", issuingBody: "SỞ CÔNG THƯƠNG", place: "…",
            units: [ReportingUnit(code: "U01", name: "Đơn vị báo cáo 1"), ReportingUnit(code: "U02", name: "Đơn vị báo cáo 2")])
        return ConfigurationTemplate.text(province: province, successions: demo ? DemoProvince.successions : [])
    }

    /// The ministry's reports go to its leaders, not to the ministry itself: each copied report
    /// definition's `receiver:` line says so.
    static func addressReportsToTheMinistry(_ folder: String) throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: folder) where name.hasSuffix(".yaml") {
            let path = folder + "/" + name
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix("receiver:") ? "receiver: \"Lãnh đạo Bộ Công Thương\"" : String(line)
            }
            try DurableFiles.publish(path, data: Data(lines.joined(separator: "\n").utf8))
        }
    }

    /// Copies the shipped schema and report definitions into `dir`'s `templates/` and
    /// `reports/`. `replacingAll` first removes every definition there, so the folder holds
    /// exactly what ships (the demo, which must always show the current reports).
    static func copyDefinitions(from share: String, into dir: String, replacingAll: Bool) throws {
        let fm = FileManager.default
        for folder in ["templates", "reports"] {
            let target = dir + "/" + folder
            try DurableFiles.makeDirectory(target)
            if replacingAll {
                for name in try fm.contentsOfDirectory(atPath: target) where name.hasSuffix(".yaml") {
                    try fm.removeItem(atPath: target + "/" + name)
                }
            }
            for name in try fm.contentsOfDirectory(atPath: share + "/" + folder) where name.hasSuffix(".yaml") {
                if fm.fileExists(atPath: target + "/" + name) { try fm.removeItem(atPath: target + "/" + name) }
                try fm.copyItem(atPath: share + "/" + folder + "/" + name, toPath: target + "/" + name)
            }
        }
    }
}
