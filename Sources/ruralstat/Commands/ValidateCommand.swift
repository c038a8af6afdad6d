// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatCore
import RuralStatStore
import XLSX
import RuralStatReading
import RuralStatConfig

/// `ruralstat validate FILE… [--json] [--lang vi|en]`: an offline check.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check submissions against the form; exit 0 when valid, 1 when any has errors, 2 when one cannot be read.")

    @Argument(help: "The workbooks to check.")
    var files: [String]

    @Flag(help: "Print the findings as JSON.")
    var json = false

    @Option(help: "The language of the messages: vi or en.")
    var lang: MessageLanguage = .vi

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.loadIfPresent()
        let definitions = try loadDefinitions(config)
        // Without a configuration any unit code is accepted: only the form is checked.
        let province = config?.province ?? Province(name: "", parentBody: "", issuingBody: "", place: "", units: [])
        // With a configuration and its store, a file is compared with the unit's earlier quarters
        // and its peers exactly as the daemon compares it (`prev.` rules, outlier checks).
        let history = try config.flatMap { c -> StoreHistory? in
            guard FileManager.default.fileExists(atPath: c.paths.database) else { return nil }
            return StoreHistory(store: try SubmissionStore(path: c.paths.database), config: c, schema: definitions.schema)
        }
        var results: [(String, ValidationResult)] = []
        for file in files {
            // With a configuration, the periods it accepts are checked as the daemon checks them.
            results.append((file, SubmissionReading.validate(path: file, definitions: definitions, province: province,
                                                             limits: config?.limits ?? .init(),
                                                             window: config.map { ($0.periodWindow, Date()) },
                                                             previous: history?.previous ?? { _, _ in nil },
                                                             outliers: history?.outliers)))
        }
        if json {
            let doc = JSONValue.object([("files", .array(results.map { path, r in
                .object([
                    ("path", .string(path)),
                    ("valid", .bool(r.isValid)),
                    ("findings", .array(r.findings.map { f in
                        .object([
                            ("severity", .string(f.severity.rawValue)), ("rule", .string(f.rule)),
                            ("sheet", .optional(f.sheet)), ("cell", .optional(f.cell)), ("value", .optional(f.value)),
                            ("message", .object([("vi", .string(f.message.vi)), ("en", .string(f.message.en))])),
                        ])
                    })),
                ])
            }))])
            print(doc.serialized())
        } else {
            for (path, r) in results {
                let verdict = r.isValid
                    ? (lang == .vi ? "HỢP LỆ" : "VALID")
                    : (lang == .vi ? "CÓ LỖI (\(r.errors.count))" : "INVALID (\(r.errors.count) errors)")
                print("\(path): \(verdict)")
                if !r.findings.isEmpty { print(FindingsText.render(r.findings, language: lang.language)) }
            }
        }
        if results.contains(where: { $0.1.findings.contains { $0.rule.hasPrefix("file.") } }) { throw ExitCode(2) }
        if results.contains(where: { !$0.1.isValid }) { throw ExitCode(1) }
    }
}

/// `--lang`: the language of the human report.
enum MessageLanguage: String, ExpressibleByArgument {
    case vi, en
    var language: Language { self == .vi ? .vi : .en }
}
