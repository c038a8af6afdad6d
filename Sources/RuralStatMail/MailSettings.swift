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
    /// The longest one message may take with the relay, connection to its last answer; a relay
    /// silent that long is taken for unavailable and the rest wait for the next run. Default 60.
    public var messageTimeoutSeconds: Double = 60
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
    /// A mailbox as an SMTP relay takes it without SMTPUTF8 (RFC 5321 §4.1.2): a dot-atom
    /// local part of ASCII letters, digits and `!#$%&'*+/=?^_`{|}~-` (no quoted strings), `@`, and
    /// a domain of ASCII labels (letters, digits, hyphens; not starting or ending with one) with
    /// a dot. A Vietnamese letter or a quote would pass a looser check and be refused or
    /// mangled at the relay; it is refused here, where the configuration is checked.
    public var isMailAddress: Bool {
        let parts = split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64, utf8.count <= 254 else { return false }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-")
        let local = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard local.allSatisfy({ !$0.isEmpty && $0.allSatisfy { atext.contains($0) } }) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        let ldh = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        return labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.allSatisfy { ldh.contains($0) } && label.first != "-" && label.last != "-"
        }
    }
}
