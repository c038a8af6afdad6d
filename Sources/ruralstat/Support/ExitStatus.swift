// SPDX-License-Identifier: Apache-2.0
import RuralStatAdmin

/// The one place the command line turns a failure into the contract's exit code: 1 when the
/// input is invalid, 2 for usage, configuration or I/O. Commands throw what went wrong as it
/// is (a `ConfigurationError`, a `FileError`, the store's error…) and say nothing of codes,
/// unless they know better (`CommandFailure`).
enum ExitStatus {
    /// The exit code `error` ends the command with.
    static func code(for error: any Error) -> Int32 {
        switch error {
        case let failure as CommandFailure: return failure.code
        // A backup that is not one, or is damaged, is invalid input; anything else about it is I/O.
        case let backup as BackupError: return backup.invalid ? 1 : 2
        // The configuration, the definitions, the files, the store, the lock: all 2.
        default: return 2
        }
    }

    /// What the person at the terminal (or the journal) is told.
    static func message(for error: any Error) -> String {
        "ruralstat: " + ((error as? CommandFailure)?.message ?? "\(error)")
    }
}
