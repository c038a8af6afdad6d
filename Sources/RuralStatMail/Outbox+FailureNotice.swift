// SPDX-License-Identifier: Apache-2.0
public import Foundation

extension Outbox {
    /// The admin's notice of messages `mail send` gave up on, with why and where they are kept.
    public static func failureNotice(_ failed: [Outbox.Failure], folder: String, settings: MailSettings,
                                     to admin: String, at: Date) -> MailMessage {
        var text = ["\(failed.count) thư không gửi được và đã được chuyển vào \(folder):", ""]
        for f in failed {
            text.append("- \((f.path as NSString).lastPathComponent) — gửi tới \(f.to.joined(separator: ", ")) — \(f.subject)")
            text.append("  lý do / reason: \(f.why)")
        }
        text += ["", "---", "", "\(failed.count) message(s) could not be delivered and were moved to \(folder) (listed above with the "
                 + "relay's answer). Correct the address or the relay settings, then move a message back into the outbox to send it again."]
        return MailMessage(from: settings.from, to: [admin], subject: "[ruralstat] \(failed.count) thư không gửi được / message(s) not delivered",
                           text: text.joined(separator: "\n"), date: at)
    }
}
