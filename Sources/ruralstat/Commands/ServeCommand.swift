// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Logging
import RuralStatDaemon
import RuralStatConfig

/// `ruralstat serve [--config FILE] [--once]`: the daemon.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Watch the inbox, check and store each file, answer the unit, and publish the reports.")

    @OptionGroup var options: ConfigOption

    @Flag(help: "Process what is in the inbox, publish the reports, and exit.")
    var once = false

    @Flag(help: "Start even though the database is missing or empty while the archive holds files (a new store, on purpose).")
    var allowEmptyStore = false

    func run() throws {
        do {
            try serve()
        } catch {
            // The daemon's stderr is its log: the reason it stops is a log record like the others,
            // with the error priority, on one line.
            let message = ExitStatus.message(for: error)
            FileHandle.standardError.write(Data(JournalLogHandler.line(priority: 3, message: JournalLogHandler.escaped(message), fields: []).utf8))
            throw ExitCode(ExitStatus.code(for: error))
        }
    }

    private func serve() throws {
        let config = try options.load()
        let definitions = try loadDefinitions(config)
        let service = try Daemon(config: config, definitions: definitions, logger: Logger(label: "ruralstat"),
                                    allowEmptyStore: allowEmptyStore)
        // SIGHUP reads the same file again, with the schema and report definitions it names.
        let options = self.options
        service.reloader = {
            let config = try options.load()
            return (config, try Definitions.load(config))
        }
        // From here on every stderr line carries a priority, libxlsxwriter's included.
        let priorities = StderrPriorities()
        defer { priorities?.finish() }
        try service.run(once: once)
    }
}
