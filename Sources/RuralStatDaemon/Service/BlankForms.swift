// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatConfig
import RuralStatCore
import RuralStatFiles
import RuralStatMail
import RuralStatPublishing
import RuralStatRender

/// Each unit's blank form for the quarters open for reporting, pre-filled and locked for it as
/// `template --unit` makes it: put in its answers folder (what its account sees in
/// `[phan-hoi]`) and attached to its reminders, so that no clerk has to ask for the right
/// version of the form.
struct BlankForms {
    let config: Configuration
    let schema: FormSchema

    /// The quarters open for reporting at `now`: the quarter in progress, and the one before
    /// while its deadline has not passed.
    static func openPeriods(at now: Date, deadlineDays: Int) -> [Period] {
        let current = Period.containing(VietnamTime.civil(now))
        let previous = current.previous
        return PeriodQuery.deadline(previous, days: deadlineDays) > now ? [previous, current] : [current]
    }

    /// Where `unit`'s form for `period` is put: `feedback/<code>/bieu-mau-<period>-<code>.xlsx`.
    func path(_ unit: ReportingUnit, _ period: Period) -> String {
        config.paths.feedback + "/" + unit.code + "/bieu-mau-\(period)-\(unit.code).xlsx"
    }

    /// Writes the forms of `periods` for every unit that reports in each, each with one atomic
    /// rename; a form already there is kept unless `replace` (the form's schema changed).
    /// Returns how many were written.
    @discardableResult
    func place(_ periods: [Period], replace: Bool = false) throws -> Int {
        var written = 0
        for period in periods {
            for unit in config.province.asOf(period).units {
                let path = path(unit, period)
                if !replace, FileManager.default.fileExists(atPath: path) { continue }
                try DurableFiles.publish(path) { temp in try FormWorkbook(schema: schema).write(to: temp, period: period, unit: unit) }
                written += 1
            }
        }
        return written
    }

    /// `unit`'s form for `period` as a mail attachment: the one put in its folder, or one made
    /// now when there is none.
    func attachment(_ unit: ReportingUnit, _ period: Period) -> MailMessage.Attachment? {
        let placed = path(unit, period)
        var data = FileManager.default.contents(atPath: placed)
        if data == nil {
            let temp = NSTemporaryDirectory() + "/ruralstat-form-\(getpid())-\(unit.code).xlsx"
            defer { unlink(temp) }
            if (try? FormWorkbook(schema: schema).write(to: temp, period: period, unit: unit)) != nil {
                data = FileManager.default.contents(atPath: temp)
            }
        }
        return data.map {
            MailMessage.Attachment(fileName: (placed as NSString).lastPathComponent,
                                   contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data: $0)
        }
    }
}
