// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
public import RuralStatConfig
import RuralStatFiles
import RuralStatMail
import RuralStatRender
import RuralStatStore

/// `ruralstat period approve`: the province's quarter closed and written for the level above as
/// a file of the province-level form, `outbound/<period>/<code>-<period>-v<N>.xlsx`, recorded
/// (version, who, when, the file's SHA-256) in the same transaction that closes the period.
public struct PeriodApproval {
    public let config: Configuration
    public let query: PeriodQuery
    /// The province-level form (`config.upwardSchemaPath`).
    public let form: FormSchema

    /// Why a period cannot be approved now; the input is not ready (exit 1).
    public struct NotReady: Error, CustomStringConvertible {
        public var description: String
    }

    /// What an approval wrote.
    public struct Result: Sendable {
        public var path: String
        public var version: Int
        public var sha256: String
        /// Units with nothing accepted (listed on the file's provenance sheet).
        public var missing: [ReportingUnit]
        /// Held files taken in anyway (`--allow-held` leaves them out of the figures).
        public var held: Int
        /// Where the file was delivered (the ministry's share, the mail outbox), and what could
        /// not be done (the file stays in `outbound/`, the approval stands).
        public var delivered: [String] = []
        public var undelivered: [String] = []
    }

    public init(config: Configuration, query: PeriodQuery) throws {
        self.config = config
        self.query = query
        guard let text = try? String(contentsOfFile: config.upwardSchemaPath, encoding: .utf8) else {
            throw ConfigurationError("Cannot read the province-level form \(config.upwardSchemaPath) (upward_schema).")
        }
        form = try FormSchema.load(yaml: text, file: config.upwardSchemaPath)
    }

    /// Approves `period`: refused while files for it are held or still being processed (unless
    /// `allowHeld`, which leaves held files out), or when the configuration has no province code.
    public func approve(_ period: Period, by actor: String, note: String?, allowHeld: Bool, at now: Date = Date()) throws -> Result {
        guard let code = config.province.code else {
            throw ConfigurationError("\(config.file): province.code is not set: the ministry knows the province by its two-digit code (Quyết định 19/2025/QĐ-TTg), e.g. code: \"31\" for Hải Phòng")
        }
        let store = query.store
        let held = try store.submissions(period: period).filter { $0.status == .held }
        let stuck = WorkFolder.files(config.paths.work).map(\.path).sorted()
        if !stuck.isEmpty {
            throw NotReady(description: "\(period) cannot be approved while files are still being processed in \(config.paths.work): \(stuck.joined(separator: ", ")); wait for the daemon to finish them (ruralstat status)")
        }
        if !held.isEmpty && !allowHeld {
            let list = held.map { "\($0.unitCode ?? "?") (\($0.fileName))" }.joined(separator: ", ")
            throw NotReady(description: "\(period) has \(held.count) held file(s) that its figures would leave out: \(list); open the period to take them in (ruralstat period open \(period)), or approve with --allow-held")
        }
        let version = try store.nextApprovalVersion(period)
        let province = ReportingUnit(code: code, name: config.province.name)
        let upward = try UpwardSubmission(query: query, period: period, province: province,
                                          approval: .init(version: version, by: actor, at: now, note: note), form: form)
        let folder = config.paths.outbound + "/\(period)"
        let path = folder + "/" + FileNames.fit("\(code)-\(period)-v\(version).xlsx")
        // Written, then recorded: a file there without its record is an approval a crash
        // interrupted, never sent (delivery follows the record), and is written again.
        try DurableFiles.publish(path) { temp in
            try FormWorkbook(schema: form).write(to: temp, period: period, unit: province, content: upward.content)
        }
        let sha = try SHA256.ofFile(path).sha
        try store.recordApproval(Approval(period: period, version: version, approvedAt: now, actor: actor, note: note,
                                          sha256: sha, path: path, through: try store.lastSubmissionID(period: period)))
        var result = Result(path: path, version: version, sha256: sha, missing: upward.missing, held: held.count)
        deliver(path, province: province, period: period, version: version, by: actor, at: now, into: &result)
        return result
    }

    /// Copies the approved file into the ministry's share (`upward.folder`, with the same
    /// durable write as every file the daemon makes) and puts it in the mail outbox for
    /// `mail.upward`; each that fails is said, and the file stays in `outbound/` to send by hand.
    func deliver(_ path: String, province: ReportingUnit, period: Period, version: Int, by actor: String, at now: Date,
                 into result: inout Result) {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            result.undelivered.append("cannot read \(path) back to deliver it")
            return
        }
        if let folder = config.upwardFolder {
            let target = folder + "/" + name
            do {
                try DurableFiles.publish(target, data: data)
                result.delivered.append(target)
            } catch {
                result.undelivered.append("could not copy it into \(folder): \(error)")
            }
        }
        if let settings = config.mail, let to = settings.upward {
            let message = MailMessage(
                from: settings.from, to: [to],
                subject: "[\(province.code)] \(province.name): báo cáo \(period.vietnameseTitle) (lần \(version)) / quarterly report \(period), version \(version)",
                text: """
                    \(province.name) gửi báo cáo tình hình công nghiệp nông thôn và khuyến công \(period.vietnameseTitle), lần \(version), \
                    do \(actor) phê duyệt. Tệp đính kèm theo biểu mẫu cấp tỉnh (ruralstat-province-quarterly).

                    ---
                    \(province.name) sends its quarterly report for \(period), version \(version), approved by \(actor): the attached \
                    workbook is in the province-level form.
                    """,
                attachments: [.init(fileName: name, contentType: MailMessage.Attachment.contentType(of: name), data: data)], date: now)
            do {
                let written = try Outbox(folder: config.paths.outbox).write(message)
                result.delivered.append("\(to) (mail: \(written), sent by ruralstat mail send)")
            } catch {
                result.undelivered.append("could not put the mail to \(to) in the outbox: \(error)")
            }
        }
    }
}
