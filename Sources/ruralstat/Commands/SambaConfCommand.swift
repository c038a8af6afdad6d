// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RuralStatConfig

/// `ruralstat samba-conf [--users]`: the share sections for smb.conf, or the units' accounts to create.
struct SambaConfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samba-conf",
        abstract: "Print the Samba share sections (each unit sees only its own folders), or with --users the accounts to create.",
        discussion: """
        Needs intake.unit_folders: true. Also makes the units' folders and the links the shares' \
        paths point to (the daemon keeps them the same way at start and on reload).
        """)

    @Flag(help: "Print the commands that create each unit's account instead (useradd, smbpasswd).")
    var users = false

    @Option(help: "The user the daemon runs as; Samba writes as it.")
    var serviceUser = "ruralstat"

    @Option(help: "The group of the units' accounts.")
    var submitters = "ruralstat-submit"

    @Option(help: "The group that reads the reports.")
    var managers = "ruralstat-managers"

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        guard config.intake.unitFolders else {
            throw CommandFailure.config("\(config.file): each unit needs its own folder on the share: set intake.unit_folders: true")
        }
        if users {
            print(SambaShare.accounts(config, submitters: submitters), terminator: "")
            return
        }
        do {
            try SambaShare.makeFolders(config)
        } catch {
            printError("the folders and links could not all be made (the daemon makes them at its start): \(error)")
        }
        print(SambaShare.sections(config, serviceUser: serviceUser, submitters: submitters, managers: managers), terminator: "")
    }
}
