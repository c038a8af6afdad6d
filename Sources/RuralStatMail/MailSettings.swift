// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The `mail:` section of the configuration: where mail goes out and who gets what. Absent:
/// nothing is mailed, as before.
public struct MailSettings: Sendable, Equatable {
    /// How messages leave: an SMTP relay, or the host's `sendmail`.
    public enum Transport: String, Sendable, Equatable { case smtp, sendmail }
    /// `none`: plain SMTP (a relay on the same host); `starttls`: upgrade on port 587; `tls`: port 465.
    public enum Security: String, Sendable, Equatable { case none, starttls, tls }

    public var transport: Transport = .smtp
    public var host: String = "localhost"
    public var port: Int = 587
    public var security: Security = .starttls
    public var username: String?
    /// A file holding the password, read when sending (a systemd credential), never stored.
    public var passwordFile: String?
    /// A CA bundle to trust for the relay's certificate (a province's own CA); nil: the system's.
    public var caFile: String?
    /// "Sở Công Thương <ruralstat@example.gov.vn>".
    public var from: String
    public var managers: [String] = []
    public var admin: String?
    /// Where the province's approved quarter is mailed (the ministry's address); nil: not mailed.
    public var upward: String?
    /// A message the relay has not taken after this long goes to `outbox/failed/`. Default 72.
    public var giveUpHours: Double = 72
    /// At most one "reports updated" message per period to the managers in this many minutes. Default 60.
    public var digestMinutes: Double = 60
    /// Days before a period's deadline on which units with nothing accepted are reminded. Default `[7, 1]`.
    public var remindDaysBefore: [Int] = [7, 1]
    /// At most one mail to the admin with the lines logged at error level in this many minutes. Default 60.
    public var adminMinutes: Double = 60

    /// The address alone of `from`, for the SMTP envelope.
    public var fromAddress: String { Self.address(from) }

    public init(from: String) { self.from = from }

    /// `Name <a@b>` → `a@b`; a bare address is itself.
    public static func address(_ text: String) -> String {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            return text.trimmingCharacters(in: .whitespaces)
        }
        return String(text[text.index(after: open)..<close])
    }
}

extension String {
    /// A plausible mail address: one `@`, text on both sides, no spaces or angle brackets.
    public var isMailAddress: Bool {
        let parts = split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "," || $0 == "\n" || $0 == "\r" })
    }
}
