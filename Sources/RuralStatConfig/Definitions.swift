// SPDX-License-Identifier: Apache-2.0
public import RuralStatCore
import Foundation

/// The schema and the report definitions, loaded and checked together.
public struct Definitions: Sendable {
    public var schema: FormSchema
    public var catalog: FigureCatalog
    public var reports: [ReportDefinition]

    /// Loads the schema file and every `*.yaml` in the reports folder, in name order.
    public static func load(schemaPath: String, reportsPath: String) throws -> Definitions {
        guard let text = try? String(contentsOfFile: schemaPath, encoding: .utf8) else {
            throw ConfigurationError("Cannot read the schema \(schemaPath).")
        }
        let schema = try FormSchema.load(yaml: text, file: schemaPath)
        let catalog = FigureCatalog(schema: schema)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: reportsPath)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var reports: [ReportDefinition] = []
        for name in names {
            let path = reportsPath + "/" + name
            guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError("Cannot read the report definition \(path).")
            }
            reports.append(try ReportDefinition.load(yaml: yaml, file: path, catalog: catalog))
        }
        return Definitions(schema: schema, catalog: catalog, reports: reports)
    }

    public static func load(_ config: Configuration) throws -> Definitions {
        try load(schemaPath: config.schemaPath, reportsPath: config.reportsPath)
    }
}

/// Finds the folder holding the shipped `templates/` and `reports/`: `$RURALSTAT_SHARE`, then
/// `<prefix>/share/ruralstat` next to an installed binary, then the source tree the binary
/// was built in.
public enum ShareLocator {
    public static func find(executable: String = CommandLine.arguments[0]) -> String? {
        let fm = FileManager.default
        func isShare(_ dir: String) -> Bool {
            fm.fileExists(atPath: dir + "/templates/quarterly-v1.yaml") && fm.fileExists(atPath: dir + "/reports")
        }
        if let env = ProcessInfo.processInfo.environment["RURALSTAT_SHARE"], isShare(env) { return env }
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = exe.deletingLastPathComponent().appendingPathComponent("share/ruralstat").path
        if isShare(installed) { return installed }
        var dir = exe
        for _ in 0..<6 {
            if isShare(dir.path) { return dir.path }
            dir = dir.deletingLastPathComponent()
        }
        let cwd = fm.currentDirectoryPath
        return isShare(cwd) ? cwd : nil
    }
}
