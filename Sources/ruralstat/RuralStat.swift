// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Glibc
import Logging

/// The command line. Exit codes: 0 success, 1 the input is invalid, 2 usage, configuration or I/O.
@main
struct RuralStat: ParsableCommand {
    /// The release: what `ruralstat --version` prints and the only place it is written.
    /// `make deb` names the package after it and refuses a `packaging/debian/changelog` whose
    /// latest entry says another.
    static let version = "0.15.0"

    static let configuration = CommandConfiguration(
        commandName: "ruralstat",
        abstract: "Collects the quarterly rural-industry reports of a province's units and publishes the consolidated reports.",
        discussion: """
            Units drop their quarterly forms into a shared inbox; ruralstat serve, run by systemd \
            (ruralstat.service), checks each file, answers the unit in feedback/, stores the figures \
            and publishes the period's reports. The other commands check files offline, print the \
            form, write blank forms, rebuild reports, export the figures and show who has reported.

            Every command that needs the store or the units takes --config, which defaults to \
            /etc/ruralstat/ruralstat.yaml. Exit codes: 0 success, 1 the input is invalid, 2 usage, \
            configuration or I/O. Each command has its own page: man ruralstat-serve, and so on.
            """,
        version: version,
        subcommands: [InitCommand.self, ServeCommand.self, ValidateCommand.self, InspectCommand.self, SchemaCommand.self,
                      TemplateCommand.self, ReportCommand.self, ExportCommand.self, StatusCommand.self, PeriodCommand.self,
                      PlanCommand.self, BackupCommand.self, RestoreCommand.self, CheckCommand.self, RebuildCommand.self,
                      MailCommand.self, DemoCommand.self, SambaConfCommand.self, ClockCommand.self]
    )

    static func main() {
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label) }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            usageFailure(error)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // ArgumentParser's own (help asked for, a ValidationError from a command's check).
            usageFailure(error)
        } catch {
            printError(ExitStatus.message(for: error))
            Glibc.exit(ExitStatus.code(for: error))
        }
    }

    /// A command line that does not parse (or `--help`, `--version`): ArgumentParser's text,
    /// and 2 by contract (its own default is 64).
    private static func usageFailure(_ error: any Error) -> Never {
        let message = fullMessage(for: error)
        if exitCode(for: error) == .success {
            print(message)
            Glibc.exit(0)
        }
        printError(message)
        Glibc.exit(2)
    }
}
