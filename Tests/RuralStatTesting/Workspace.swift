// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatConfig
public import RuralStatCore
public import RuralStatRender
public import RuralStatStore
import RuralStatDemo
import RuralStatFiles
import RuralStatReading
import XLSX

/// The demo province (Hải Phòng) configured in a temporary folder, in process: its folders made,
/// the shipped form and reports, files taken at once; forms written by our own writer with the
/// demo's generated figures.
public struct Workspace: Sendable {
    public let root: String
    public let config: Configuration
    public let definitions: Definitions
    /// The quarter the forms are for: the communes' first.
    public let period = Period("2025-Q3")!

    public init(unitFolders: Bool = false, name: String = #function) throws {
        root = try temporaryFolder(name)
        var text = ConfigurationTemplate.text(province: DemoProvince.province)
            .replacingOccurrences(of: "schema: templates/quarterly-v1.yaml", with: "schema: \(Repository.root)/templates/quarterly-v1.yaml")
            .replacingOccurrences(of: "reports: reports ", with: "reports: \(Repository.root)/reports ")
            .replacingOccurrences(of: "settle_seconds: 2 ", with: "settle_seconds: 0 ")
        if unitFolders { text = text.replacingOccurrences(of: "unit_folders: false", with: "unit_folders: true") }
        try text.write(toFile: root + "/ruralstat.yaml", atomically: true, encoding: .utf8)
        config = try Configuration.load(path: root + "/ruralstat.yaml")
        definitions = try Definitions.load(config)
        for dir in config.paths.all { try DurableFiles.makeDirectory(dir) }
    }

    /// Every unit of the configuration (the communes, then the districts before them).
    public var units: [ReportingUnit] { config.province.units }

    /// The demo's figures for `unit` (another set for each `variant`), valid for the form.
    public func content(_ unit: ReportingUnit, period: Period? = nil, variant: Int = 0) -> FormContent {
        DemoProvince.content(unit: unit, period: period ?? self.period, variant: variant)
    }

    /// The demo's figures for `unit` with text where a number belongs (the form refuses it).
    public func invalidContent(_ unit: ReportingUnit, period: Period? = nil) -> FormContent {
        DemoProvince.invalidContent(unit: unit, period: period ?? self.period)
    }

    /// Writes `unit`'s form for `period` to `path`, filled with `content` (the demo's by default).
    public func writeForm(_ unit: ReportingUnit, period: Period? = nil, content: FormContent? = nil, to path: String) throws {
        let period = period ?? self.period
        try FormWorkbook(schema: definitions.schema).write(to: path, period: period, unit: unit,
                                                           content: content ?? DemoProvince.content(unit: unit, period: period))
    }

    /// Writes a filled form for `unit` into `folder` (the inbox by default) under `name`.
    @discardableResult
    public func drop(_ unit: ReportingUnit, name: String? = nil, into folder: String? = nil, content: FormContent? = nil) throws -> String {
        let path = (folder ?? config.paths.inbox) + "/" + (name ?? "bc-\(unit.code).xlsx")
        try writeForm(unit, content: content, to: path)
        return path
    }

    /// Takes the file at `path` into `store` as the daemon takes a file it accepts: checked against
    /// the form and the store's history, recorded, the original moved into `archive/` under the
    /// name the daemon gives it (no answer is written). Throws when the file would be refused.
    @discardableResult
    public func accept(_ path: String, store: SubmissionStore, at: Date = Date()) throws -> String {
        let result = SubmissionCheck(config: config, definitions: definitions, store: store).run(path: path, expectedUnit: nil, at: at).result
        guard let data = result.submission else {
            throw SetupFailure(step: "accepting \(path)", output: result.errors.map(\.message.en).joined(separator: "; "))
        }
        let sha = try SHA256.ofSubmission(path, maxFileBytes: config.limits.maxFileBytes).sha
        let name = (path as NSString).lastPathComponent
        let folder = config.paths.archive + "/\(data.period)/\(data.unitCode)"
        try DurableFiles.makeDirectory(folder)
        let stored = DurableFiles.freeName(in: folder, ArchiveName(receivedAt: at, sha256: sha, originalName: name).fileName)
        try store.accept(data, file: ReceivedFile(sha256: sha, fileName: name, receivedAt: at, storedPath: stored), warnings: result.warnings)
        try DurableFiles.move(path, to: stored)
        return stored
    }

    /// The regular files under `folder` (any depth, dot-files left out), relative, sorted.
    public func files(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { !($0 as NSString).lastPathComponent.hasPrefix(".") && (try? FileManager.default.attributesOfItem(atPath: folder + "/" + $0)[.type] as? FileAttributeType) == .typeRegular }
            .sorted()
    }
}
