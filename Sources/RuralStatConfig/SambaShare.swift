// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
import RuralStatFiles

/// The province's Samba share as the units use it: `[bao-cao]`, where each unit's account sees
/// only its own inbox folder, `[phan-hoi]`, where it reads only its own answers, and a
/// read-only share of the reports for the managers.
///
/// Each account is confined by the share's path: `shares/bao-cao/%U` is a link, kept by the
/// daemon, to `inbox/<code>` of the unit whose account `%U` is (and `shares/phan-hoi/%U` to
/// `feedback/<code>`); an account with no link has no folder to connect to. Samba writes as
/// the service's user (`force user`), so every file in the inbox is the daemon's own: the
/// kernel's read lease, which tells the daemon whether a writer still holds a file open, is
/// granted only to a file's owner, and the daemon can move what a unit dropped.
public enum SambaShare {
    /// The share sections for `smb.conf`, for `config`; `serviceUser` is the user the daemon
    /// runs as, `submitters` the group of the units' accounts, `managers` the group that reads
    /// the reports.
    public static func sections(_ config: Configuration, serviceUser: String = "ruralstat",
                                submitters: String = "ruralstat-submit", managers: String = "ruralstat-managers") -> String {
        let units = reportingUnits(config)
        return """
        # The share sections of ruralstat for smb.conf (the [global] section stays yours), made by
        # `ruralstat samba-conf` from \(config.file): \(units.count) units.
        # Each unit's account sees only its own folder: the path ends in %U (the account), a link
        # the daemon keeps in \(config.paths.shares) to that unit's folder. After adding a unit:
        # restart or reload the daemon, create the account (`ruralstat samba-conf --users`).
        # Samba writes as \(serviceUser), the daemon's user, so that the daemon owns every file
        # dropped: the kernel grants the read lease that tells it a file is still being written
        # only to the file's owner.

        [bao-cao]
           comment = Nộp báo cáo quý (mỗi đơn vị chỉ thấy thư mục của mình)
           path = \(config.paths.shares)/bao-cao/%U
           valid users = @\(submitters)
           force user = \(serviceUser)
           force group = \(serviceUser)
           read only = no
           browseable = yes
           create mask = 0640
           force create mode = 0640
           directory mask = 0750
           # Excel's owner file (~$name.xlsx) must reach the folder: while it is there the
           # workbook is open and the daemon waits. Only what is never a submission is vetoed.
           veto files = /._*/.DS_Store/Thumbs.db/desktop.ini/
           delete veto files = yes

        [phan-hoi]
           comment = Phản hồi về tệp đã nộp (chỉ đọc)
           path = \(config.paths.shares)/phan-hoi/%U
           valid users = @\(submitters)
           force user = \(serviceUser)
           read only = yes
           browseable = yes

        [bao-cao-tong-hop]
           comment = Báo cáo tổng hợp (chỉ đọc)
           path = \(config.paths.reports)
           valid users = @\(managers)
           force user = \(serviceUser)
           read only = yes
           browseable = yes

        """
    }

    /// What the admin runs to give each unit its account: a system account with no shell and
    /// no home, in the submitters' group, and its Samba password.
    public static func accounts(_ config: Configuration, submitters: String = "ruralstat-submit") -> String {
        var lines = [
            "# The units' accounts on the share (Samba needs a system account for each: no shell, no home).",
            "# Run as root; smbpasswd asks for each unit's password. Existing accounts are left as they are.",
        ]
        for unit in reportingUnits(config) {
            let account = unit.shareAccount
            lines.append("# \(unit.code) \(unit.name)")
            lines.append("id -u \(account) >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin --gid \(submitters) \(account)")
            lines.append("pdbedit -L -u \(account) >/dev/null 2>&1 || smbpasswd -a \(account)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The units that drop files now: every unit but those whose last quarter ended before
    /// the previous one (a unit whose last quarter was the one before still sends it).
    public static func reportingUnits(_ config: Configuration, at now: Date = Date()) -> [ReportingUnit] {
        let last = Period.containing(VietnamTime.civil(now)).previous
        return config.province.units.filter { unit in unit.until.map { $0 >= last } ?? true }
    }

    /// Makes each reporting unit's folders (`inbox/<code>`, `feedback/<code>`) and the share's
    /// links to them (`shares/bao-cao/<account>`, `shares/phan-hoi/<account>`), and removes the
    /// links of accounts no longer configured. Returns the inbox folders. Only with unit folders.
    @discardableResult
    public static func makeFolders(_ config: Configuration, inboxMode: Int = 0o2770, at now: Date = Date()) throws -> [String] {
        guard config.intake.unitFolders else { return [] }
        let units = reportingUnits(config, at: now)
        var inboxes: [String] = []
        let links = [("bao-cao", config.paths.inbox), ("phan-hoi", config.paths.feedback)]
        for (share, _) in links { try DurableFiles.makeDirectory(config.paths.shares + "/" + share, mode: 0o755) }
        for unit in units {
            let inbox = config.paths.inbox + "/" + unit.code
            if !FileManager.default.fileExists(atPath: inbox) { try makeOwnedDirectory(inbox, mode: inboxMode) }
            let feedback = config.paths.feedback + "/" + unit.code
            if !FileManager.default.fileExists(atPath: feedback) { try makeOwnedDirectory(feedback, mode: 0o2750) }
            inboxes.append(inbox)
            for (share, target) in links {
                try link(config.paths.shares + "/" + share + "/" + unit.shareAccount, to: target + "/" + unit.code)
            }
            if let account = uid(of: unit.shareAccount) { try keepApart(inbox: inbox, feedback: feedback, account: account) }
        }
        let accounts = Set(units.map(\.shareAccount))
        for (share, _) in links {
            let folder = config.paths.shares + "/" + share
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !accounts.contains(name) {
                var st = stat()
                if lstat(folder + "/" + name, &st) == 0, st.st_mode & S_IFMT == S_IFLNK { unlink(folder + "/" + name) }
            }
        }
        return inboxes
    }

    /// The system account's user id, nil when there is no such account.
    public static func uid(of account: String) -> UInt32? {
        getpwnam(account).map { $0.pointee.pw_uid }
    }

    /// Gives a unit's account its own folders and nobody else's, whatever reaches the disk
    /// (Samba, NFS, a shell): its inbox folder writable by it and the folder's owner (the
    /// daemon) alone, what it makes there readable by the daemon; its answers readable by it
    /// alone; no group and no others, so another unit's account in the same group reads nothing.
    static func keepApart(inbox: String, feedback: String, account: UInt32) throws {
        var st = stat()
        guard stat(inbox, &st) == 0 else { throw FileError(operation: "stat", path: inbox, code: errno) }
        let daemon = st.st_uid
        try PosixACL.folder(owner: 7, users: [(account, 7)], group: 0, other: 0).write(to: inbox)
        // What the account makes there (through a shell, not Samba) stays the daemon's to read and move.
        let makers: [(uid: UInt32, permissions: UInt16)] = account == daemon ? [(account, UInt16(7))] : [(account, UInt16(7)), (daemon, UInt16(7))]
        try PosixACL.folder(owner: 7, users: makers, group: 0, other: 0).write(to: inbox, default: true)
        try PosixACL.folder(owner: 7, users: [(account, 5)], group: 0, other: 0).write(to: feedback)
        try PosixACL.folder(owner: 7, users: [(account, 5)], group: 0, other: 0).write(to: feedback, default: true)
    }

    /// What `keepApart` gave a unit's folders, as `check` verifies it: each problem in a line.
    public static func apartProblems(inbox: String, feedback: String, account: UInt32) -> [String] {
        var problems: [String] = []
        for (path, wanted) in [(inbox, UInt16(7)), (feedback, UInt16(5))] {
            guard let acl = PosixACL.read(path) else {
                problems.append("\(path): no access list for the unit's account (uid \(account))")
                continue
            }
            if acl.permissions(ofUser: account).map({ $0 & wanted == wanted }) != true {
                problems.append("\(path): the unit's account (uid \(account)) lacks \(wanted == 7 ? "rwx" : "r-x")")
            }
            if (acl.permissions(.owningGroup) ?? 0) != 0 || (acl.permissions(.other) ?? 0) != 0 {
                problems.append("\(path): its group or others have access (another unit's account could read it)")
            }
            for e in acl.entries where e.tag == .user && e.id != account && e.permissions != 0 {
                var owner = stat()
                if stat(path, &owner) == 0, e.id == owner.st_uid { continue }
                problems.append("\(path): another account (uid \(e.id ?? 0)) has access")
            }
        }
        return problems
    }

    /// A folder made with `mode` and given the owner of the folder it is in: made by root (an
    /// admin running `samba-conf`), it would otherwise be root's and the daemon could not use it.
    private static func makeOwnedDirectory(_ path: String, mode: Int) throws {
        try DurableFiles.makeDirectory(path, mode: mode)
        var parent = stat()
        if geteuid() == 0, stat((path as NSString).deletingLastPathComponent, &parent) == 0 {
            _ = chown(path, parent.st_uid, parent.st_gid)
        }
    }

    /// `path` made a symbolic link to `target` (replaced by one rename when it points elsewhere).
    private static func link(_ path: String, to target: String) throws {
        if let current = try? FileManager.default.destinationOfSymbolicLink(atPath: path), current == target { return }
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        guard symlink(target, temporary) == 0, rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileError(operation: "symlink", path: path, code: code)
        }
    }

    /// Each unit's share account must be a name Samba and the system both take, and no two
    /// units may share one (one would read the other's answers).
    static func checkAccounts(_ units: [ReportingUnit], file: String) throws {
        var seen: [String: String] = [:]
        for unit in units {
            let account = unit.shareAccount
            guard account.wholeMatch(of: /[a-z_][a-z0-9_-]{0,31}/) != nil else {
                throw ConfigurationError("\(file): unit \(unit.code): smb_user '\(account)' must be lower-case letters, digits, '_' or '-', at most 32, starting with a letter")
            }
            if let other = seen[account] {
                throw ConfigurationError("\(file): units \(other) and \(unit.code) have the same smb_user '\(account)'")
            }
            seen[account] = unit.code
        }
    }
}
