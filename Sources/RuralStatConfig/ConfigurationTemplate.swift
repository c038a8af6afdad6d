// SPDX-License-Identifier: Apache-2.0
import Foundation
public import RuralStatCore

/// The text of a new `ruralstat.yaml`, with every setting written out and explained.
public enum ConfigurationTemplate {
    /// `schema`: the form the units send (the communes' form, or for the ministry's instance the
    /// provinces' form); `deadlineDays`: how long after the quarter a file is on time.
    public static func text(province: Province, successions: [UnitSuccession] = [],
                            schema: String = "templates/quarterly-v1.yaml", deadlineDays: Int = 15) -> String {
        let units = unitLines(province.units)
        let history = successionLines(successions)
        return """
        # ruralstat configuration. Paths may be relative to this file.
        province:
          \(province.code.map { "code: " + quoted($0) } ?? "# code: \"31\"")      # two digits (Quyết định 19/2025/QĐ-TTg; "31": Hải Phòng): how the ministry knows the province
          name: \(quoted(province.name))
          parent_body: \(quoted(province.parentBody))      # printed top left of every report
          issuing_body: \(quoted(province.issuingBody))    # printed under it
          place: \(quoted(province.place))                 # "<place>, ngày … tháng … năm …"

        # The reporting units (since 1 July 2025: xã, phường, đặc khu); the code is written on
        # the cover sheet of each submission. `group` is the unit's area (khu vực): the former
        # district or town it was formed from, or any grouping the province uses; reports total
        # unit → area → province. `from`/`until`: the first/last quarter a unit reports for.
        units:
        \(units)

        # Units that no longer report (the 2025 reform), and where their history now counts:
        #   {from: OLD, area: NAME}      the old district is the history of the area NAME (exact:
        #                                same boundary); the usual case after the reform
        #   {from: OLD, province: true}  a whole old province is part of the province's history
        #   {from: OLD, to: NEW, share: 1}  a unit took it over (share: a split the province decided)
        # A commune formed on 1 July 2025 has no history of its own: its comparisons stay empty,
        # with the reason, and its area and the province are compared instead.
        \(history)

        reporting:
          deadline_days: \(deadlineDays)          # files received later than this after the quarter ends are late
          # first_period: 2024-Q1    # covers dated before this are refused (default: no lower bound)
          quarters_ahead: 0          # covers dated after the quarter in progress (+ this many) are refused

        schema: \(schema)   # the reporting form
        reports: reports                      # one YAML file per report

        paths:
          root: var          # the folders below default to <root>/<name>
          # inbox: var/inbox         # the shared folder units drop files into
          # work: var/work           # same file system as inbox
          # archive: var/archive     # accepted originals, by period and unit
          # rejected: var/rejected   # refused originals, by day
          # feedback: var/feedback   # receipts and corrections, by unit
          # reports: var/reports     # published reports, by period
          # state: var/state         # the SQLite database
          # outbound: var/outbound   # the approved quarters for the ministry (period approve), by period

        intake:
          settle_seconds: 2          # a file is taken after it has not changed for this long
          scan_interval_seconds: 30  # full rescans of the inbox besides inotify
          unit_folders: false        # true: each unit drops into inbox/<code>/
          publish_delay_seconds: 0   # reports are rebuilt once nothing more is settling, after this long
          publish_max_delay_seconds: 60  # …or this long after its first file, in a long burst
          # parallel_files: 2        # files read and checked at once (default: processors, at most 4)
          arrival_grace_seconds: 600 # a file cut short but written to this recently is still arriving, not refused
          retry_seconds: 10          # a file that failed after its claim (a full disk…) is tried again, doubling to 15 min
          open_wait_hours: 8         # a workbook open in Excel/LibreOffice (~$name.xlsx beside it) waits; an owner file older than this is stale

        \(settingsBelowIntake)

        """
    }

    /// The limits, mail and delivery upward sections, the same for every site.
    private static let settingsBelowIntake = """
    limits:
      max_file_mb: 64            # larger files are refused
      max_entry_mb: 512          # largest part of a workbook when unpacked
      max_total_mb: 1024         # whole workbook when unpacked
      max_compression_ratio: 200 # zip bombs unpack to far more than this
      max_cells: 500000

    # Mail (see the README, "Mail"): without this section nothing is mailed. Messages are written
    # to the outbox and sent by `ruralstat mail send` (the ruralstat-mail units).
    # mail:
    #   smtp: {host: mail.example.gov.vn, port: 587, security: starttls}   # none | starttls | tls
    #   # ca_file: /etc/ssl/certs/province-ca.pem   # the province's own CA, if its relay uses one
    #   username: ruralstat
    #   password_file: /run/credentials/ruralstat-mail.service/smtp   # read when sending
    #   from: "Sở Công Thương <ruralstat@example.gov.vn>"
    #   managers: [lanhdao@example.gov.vn]   # "reports updated" and the deadline summary
    #   admin: it@example.gov.vn             # error lines, at most hourly; messages not delivered
    #   remind_days_before: [7, 1]           # to units with nothing accepted; [] sends none
    #   digest_minutes: 60                   # at most one "reports updated" per period per hour
    #   give_up_hours: 72                    # a message the relay never takes goes to outbox/failed/
    #   timeout_seconds: 60                  # one message's longest time with the relay; silent longer: it waits
    #   upward: khuyencong@example.gov.vn    # the ministry: each approved quarter (period approve) is mailed there
    # and on each unit that wants its answers by mail: email: [vanphong@example.gov.vn]

    # The ministry's share mounted on this server: each approved quarter is copied into it.
    # upward: {folder: /mnt/bo-cong-thuong/31}
    """

    /// A YAML string in double quotes.
    private static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    /// The `units:` list, one unit a line.
    private static func unitLines(_ units: [ReportingUnit]) -> String {
        units.map { u in
            "  - {code: \(quoted(u.code)), name: \(quoted(u.name))" + (u.group.map { ", group: \(quoted($0))" } ?? "")
                + (u.from.map { ", from: \($0)" } ?? "") + (u.until.map { ", until: \($0)" } ?? "") + "}"
        }.joined(separator: "\n")
    }

    /// The `successions:` section, one predecessor a line.
    private static func successionLines(_ successions: [UnitSuccession]) -> String {
        successions.isEmpty ? "successions: []" : "successions:\n" + successions.map { s in
            switch s.level {
            case .unit: return "  - {from: \(quoted(s.from)), to: \(quoted(s.to))" + (s.share < 1 ? ", share: \(s.share)" : "") + "}"
            case .area: return "  - {from: \(quoted(s.from)), area: \(quoted(s.to))}"
            case .province: return "  - {from: \(quoted(s.from)), province: true}"
            }
        }.joined(separator: "\n")
    }
}
