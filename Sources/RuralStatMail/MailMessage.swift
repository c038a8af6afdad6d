// SPDX-License-Identifier: Apache-2.0
public import Foundation

/// One message as the RFCs want it (RFC 5322, MIME, RFC 2047): UTF-8 headers encoded so that
/// Vietnamese subjects and names arrive intact, a plain-text and an HTML body, attachments in
/// base64 with their real content type, every line within 78 characters.
public struct MailMessage: Sendable {
    public struct Attachment: Sendable {
        public var fileName: String
        public var contentType: String
        public var data: Data

        public init(fileName: String, contentType: String, data: Data) {
            self.fileName = fileName
            self.contentType = contentType
            self.data = data
        }

        /// The content type of a file the daemon attaches.
        public static func contentType(of name: String) -> String {
            switch (name as NSString).pathExtension.lowercased() {
            case "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case "txt": "text/plain; charset=utf-8"
            default: "application/octet-stream"
            }
        }
    }

    public var from: String
    public var to: [String]
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [Attachment] = []
    /// Kept when the message is sent again: a relay and a reader see one message.
    public var messageID: String
    public var date: Date

    public init(from: String, to: [String], subject: String, text: String, html: String? = nil,
                attachments: [Attachment] = [], messageID: String = MailMessage.newID(), date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html ?? Self.preformatted(text)
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
    }

    /// A new Message-ID (without its angle brackets).
    public static func newID() -> String { UUID().uuidString.lowercased() + "@ruralstat" }

    /// The HTML part of a plain-text message: the same text, escaped, in the serif face of the
    /// province's documents, its lines kept as written.
    public static func preformatted(_ text: String) -> String {
        "<html><body><pre style=\"font-family: 'Times New Roman', serif; font-size: 13px; white-space: pre-wrap\">"
            + text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            + "</pre></body></html>"
    }

    /// The message as bytes, CRLF line ends, ready for the relay.
    public func rendered() -> Data {
        var lines: [String] = []
        lines.append("From: " + Self.encodeAddress(from))
        lines.append("To: " + to.joined(separator: ", "))
        lines += Self.folded("Subject: " + Self.encodeWords(subject))
        lines.append("Date: " + Self.rfc5322Date(date))
        lines.append("Message-ID: <\(messageID)>")
        lines.append("MIME-Version: 1.0")
        lines.append("Auto-Submitted: auto-generated")
        let mixed = "mixed-" + messageID.prefix(16).filter { $0.isLetter || $0.isNumber }
        let alternative = "alt-" + messageID.prefix(16).filter { $0.isLetter || $0.isNumber }
        lines.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
        lines.append("")
        lines.append("--" + mixed)
        lines.append("Content-Type: multipart/alternative; boundary=\"\(alternative)\"")
        lines.append("")
        lines.append("--" + alternative)
        lines += Self.part(contentType: "text/plain; charset=utf-8", data: Data(text.utf8))
        if let html {
            lines.append("--" + alternative)
            lines += Self.part(contentType: "text/html; charset=utf-8", data: Data(html.utf8))
        }
        lines.append("--" + alternative + "--")
        for a in attachments {
            lines.append("--" + mixed)
            lines += Self.part(contentType: a.contentType, data: a.data, fileName: a.fileName)
        }
        lines.append("--" + mixed + "--")
        lines.append("")
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    private static func part(contentType: String, data: Data, fileName: String? = nil) -> [String] {
        var out = ["Content-Type: " + contentType + (fileName.map { "; name=\"\(encodeWords($0, quoted: true))\"" } ?? "")]
        out.append("Content-Transfer-Encoding: base64")
        if let fileName { out += folded("Content-Disposition: attachment; filename=\"\(encodeWords(fileName, quoted: true))\"") }
        out.append("")
        let b64 = data.base64EncodedString()
        var i = b64.startIndex
        while i < b64.endIndex {
            let j = b64.index(i, offsetBy: 76, limitedBy: b64.endIndex) ?? b64.endIndex
            out.append(String(b64[i..<j]))
            i = j
        }
        out.append("")
        return out
    }

    /// RFC 2047 encoded words (`=?UTF-8?B?…?=`) for text that is not plain ASCII, each word
    /// small enough that a folded header line stays within 76 characters.
    /// `quoted`: the text goes between quotes (a file name parameter), where a `"` or `\\` would
    /// end it early: then it is encoded too.
    static func encodeWords(_ text: String, quoted: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { $0.value > 126 || $0.value < 32 || (quoted && ($0 == "\"" || $0 == "\\")) })
        else { return text }
        var words: [String] = []
        var chunk = ""
        for ch in text {
            // 39 bytes make 52 of base64: with `Subject: ` a word still fits a 78-character line.
            if (chunk + String(ch)).utf8.count > 39 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(ch)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: " ")
    }

    /// `Tên <a@b>` with the name encoded when it needs it.
    static func encodeAddress(_ text: String) -> String {
        let address = MailSettings.address(text)
        guard let open = text.lastIndex(of: "<") else { return address }
        let name = text[..<open].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? address : encodeWords(name) + " <" + address + ">"
    }

    /// A header folded at the spaces between encoded words (RFC 5322 §2.2.3).
    static func folded(_ header: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in header.split(separator: " ", omittingEmptySubsequences: false) {
            // Never right after the header's name: a line would begin with the value's first word.
            if !current.isEmpty && !current.hasSuffix(":") && current.count + 1 + word.count > 76 {
                lines.append(current)
                current = " " + word
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        lines.append(current)
        return lines
    }

    static func rfc5322Date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: 7 * 3_600)
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0700'"
        return f.string(from: date)
    }
}
