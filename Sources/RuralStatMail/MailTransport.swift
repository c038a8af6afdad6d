// SPDX-License-Identifier: Apache-2.0
internal import CCurl
import Foundation

/// What became of one message at the relay.
public enum DeliveryResult: Sendable, Equatable {
    case sent
    /// The relay could not be reached or said "later" (4xx): the message stays pending.
    case later(String)
    /// The relay refused it for good (5xx): it goes to `outbox/failed/`.
    case refused(String)
    /// Nothing to do with this message: the relay cannot be reached, or refuses the session
    /// (the login, the sender). Every message would fare the same: the rest are not tried.
    case unavailable(String)
}

/// SMTP through libcurl (STARTTLS, TLS, AUTH, a CA of the province's own), and the host's
/// `sendmail` for a province that relays through it. One owner per curl handle, freed on return.
enum MailTransport {
    nonisolated(unsafe) private static var initialised = false

    /// The bytes being uploaded, read by libcurl's callback.
    private final class Upload {
        let data: Data
        var offset = 0
        init(_ data: Data) { self.data = data }
    }

    static func send(_ message: Data, from: String, to: [String], settings: MailSettings) -> DeliveryResult {
        switch settings.transport {
        case .smtp: return smtp(message, from: from, to: to, settings: settings)
        case .sendmail: return sendmail(message)
        }
    }

    private static func smtp(_ message: Data, from: String, to: [String], settings: MailSettings) -> DeliveryResult {
        if !initialised {
            curl_global_init(Int(CURL_GLOBAL_DEFAULT))
            initialised = true
        }
        guard let curl = curl_easy_init() else { return .later("libcurl could not start") }
        defer { curl_easy_cleanup(curl) }
        var password: String?
        if let file = settings.passwordFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                return .later("cannot read the mail password file \(file)")
            }
            password = text.trimmingCharacters(in: .newlines)
        }
        let scheme = settings.security == .tls ? "smtps" : "smtp"
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        _ = rs_curl_set_string(curl, CURLOPT_URL, "\(scheme)://\(host):\(settings.port)")
        if settings.security == .starttls { _ = rs_curl_set_long(curl, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let ca = settings.caFile { _ = rs_curl_set_string(curl, CURLOPT_CAINFO, ca) }
        if let user = settings.username { _ = rs_curl_set_string(curl, CURLOPT_USERNAME, user) }
        if let password { _ = rs_curl_set_string(curl, CURLOPT_PASSWORD, password) }
        _ = rs_curl_set_string(curl, CURLOPT_MAIL_FROM, "<\(from)>")
        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in to { recipients = curl_slist_append(recipients, "<\(address)>") }
        defer { curl_slist_free_all(recipients) }
        _ = rs_curl_set_list(curl, CURLOPT_MAIL_RCPT, recipients)
        _ = rs_curl_set_long(curl, CURLOPT_UPLOAD, 1)
        // A total deadline per message: a relay that goes silent (after DATA, say) holds one
        // message this long at most, not the whole outbox behind it.
        _ = rs_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT, 20)
        _ = rs_curl_set_long(curl, CURLOPT_TIMEOUT, max(1, Int(settings.messageTimeoutSeconds.rounded())))
        _ = rs_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
        let upload = Upload(message)
        let box = Unmanaged.passRetained(upload)
        defer { box.release() }
        _ = rs_curl_set_pointer(curl, CURLOPT_READDATA, box.toOpaque())
        _ = rs_curl_set_read_function(curl) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return 0 }
            let upload = Unmanaged<Upload>.fromOpaque(userdata).takeUnretainedValue()
            let n = min(size * count, upload.data.count - upload.offset)
            guard n > 0 else { return 0 }
            upload.data.withUnsafeBytes { raw in
                UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + upload.offset, byteCount: n)
            }
            upload.offset += n
            return n
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let rc = errorBuffer.withUnsafeMutableBufferPointer { buf -> CURLcode in
            _ = rs_curl_set_pointer(curl, CURLOPT_ERRORBUFFER, buf.baseAddress)
            return curl_easy_perform(curl)
        }
        if rc == CURLE_OK { return .sent }
        // Failed: the connection is cut before libcurl's clean-up, which would otherwise send
        // QUIT and wait for its answer as long again from a relay that answers nothing.
        var socket = curl_socket_t(-1)
        if rs_curl_get_active_socket(curl, &socket) == CURLE_OK, socket >= 0 { _ = shutdown(socket, Int32(SHUT_RDWR)) }
        var code = 0
        _ = rs_curl_get_response_code(curl, &code)
        let written = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var detail = written.isEmpty ? String(cString: curl_easy_strerror(rc)) : written
        // libcurl's words for a refusal of the message once sent say nothing to an admin.
        if detail.hasPrefix("Weird server reply"), upload.offset > 0 { detail = "the relay refused the message after receiving it" }
        let why = "\(detail)" + (code > 0 ? " (server said \(code))" : "")
        // A 5xx is for good only when it is about this message: a recipient refused (RCPT), or
        // the message itself (DATA, or the reply to its content once libcurl has read it from us).
        // A 5xx to the session (the greeting, STARTTLS, AUTH: a wrong password; MAIL FROM: the
        // configured sender) would refuse every message alike: they wait, as when the relay is
        // down, until the configuration is mended or give_up_hours have passed.
        // A relay that answers nothing within the deadline is not refusing this message: it is
        // not working, and the rest are not tried this run (each would cost the deadline again).
        if rc == CURLE_OPERATION_TIMEDOUT { return .unavailable(why) }
        let aboutThisMessage = written.hasPrefix("RCPT failed") || written.hasPrefix("DATA failed") || upload.offset > 0
        guard aboutThisMessage else { return .unavailable(why) }
        return code >= 500 && code < 600 ? .refused(why) : .later(why)
    }

    /// `/usr/sbin/sendmail -t -i`: the host's mail system takes the message (and its recipients
    /// from the headers); a non-zero exit is tried again later.
    private static func sendmail(_ message: Data) -> DeliveryResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/sendmail")
        p.arguments = ["-t", "-i"]
        let input = Pipe()
        p.standardInput = input
        do { try p.run() } catch { return .later("cannot run /usr/sbin/sendmail: \(error)") }
        input.fileHandleForWriting.write(message)
        try? input.fileHandleForWriting.close()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? .sent : .later("sendmail exited with \(p.terminationStatus)")
    }
}
