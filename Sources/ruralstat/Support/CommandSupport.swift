// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatCore
import RuralStatStore
import RuralStatConfig
import RuralStatPublishing

/// A failure the user must act on, with the exit code the contract gives it
/// (1: the input is invalid; 2: usage, configuration or I/O).
struct CommandFailure: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { message }

    static func config(_ message: String) -> CommandFailure { CommandFailure(code: 2, message: message) }
}

/// `--config`, shared by every command that needs the store or the units.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config: String = "/etc/ruralstat/ruralstat.yaml"

    /// Loads the configuration, or fails with the reason (exit code 2).
    func load() throws -> Configuration {
        try Configuration.load(path: config)
    }

    /// The configuration when the file exists; nil when the default path is absent.
    func loadIfPresent() throws -> Configuration? {
        if !FileManager.default.fileExists(atPath: config) && config == "/etc/ruralstat/ruralstat.yaml" { return nil }
        return try load()
    }
}

/// Loads the schema and report definitions of a configuration, or the shipped ones.
func loadDefinitions(_ config: Configuration?) throws -> Definitions {
    if let config { return try Definitions.load(config) }
    guard let share = ShareLocator.find() else {
        throw CommandFailure.config("Cannot find the shipped templates/ and reports/; pass --config or set RURALSTAT_SHARE.")
    }
    return try Definitions.load(schemaPath: share + "/templates/quarterly-v1.yaml", reportsPath: share + "/reports")
}

/// Parses `--period`.
func parsePeriod(_ text: String) throws -> Period {
    guard let p = Period(text) else {
        throw ValidationError("'\(text)' is not a period; write it like 2025-Q3.")
    }
    return p
}

/// Writes an error for the person at the terminal; under systemd (stderr is the journal,
/// `JOURNAL_STREAM` is set) as one line with the error priority, like every log record.
func printError(_ message: String) {
    if ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil {
        FileHandle.standardError.write(Data(JournalLogHandler.line(priority: 3, message: JournalLogHandler.escaped(message), fields: []).utf8))
    } else {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// The configuration's store and definitions, ready to answer questions about a period.
func openPeriodQuery(_ config: Configuration) throws -> PeriodQuery {
    let definitions = try loadDefinitions(config)
    do {
        return PeriodQuery(config: config, definitions: definitions,
                            store: try SubmissionStore(path: config.paths.database))
    } catch {
        throw CommandFailure.config("Cannot open the database \(config.paths.database): \(error)")
    }
}
