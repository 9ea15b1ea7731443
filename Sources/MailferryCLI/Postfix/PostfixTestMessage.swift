import Foundation
import Logging
import MailModel
import MailSpool
import PostfixControl
import SMTPClient
import SMTPCodec

/// Sends one test message through the old server and, given the mirror's spool, waits for
/// its copy and the new server's verdict.
enum PostfixTestMessage {
    static func send(to address: String, options: PostfixTestMessageOptions, instance: PostfixInstance) async throws -> Bool {
        guard let recipient = EmailAddress(address, allowUTF8: true) else {
            print("Test message: \(address) is not a valid address")
            return false
        }
        let listener = try options.smtp ?? instance.smtpListeners().first
        guard let listener, let (host, port) = try? HostPort.parse(listener.contains(":") ? listener : "127.0.0.1:\(listener)", option: "--smtp") else {
            print("Test message: no smtpd listener found in master.cf; give --smtp HOST:PORT")
            return false
        }
        let messageID = "<mailferry-test-\(UUID().uuidString.lowercased())@mailferry.invalid>"
        let body = "From: mailferry <postmaster@\(recipient.domain)>\r\nTo: <\(recipient)>\r\nSubject: mailferry mirror test\r\n"
            + "Message-ID: \(messageID)\r\nDate: \(Self.rfc5322Date())\r\n\r\nThis message tests the mirror phase. It can be deleted.\r\n"
        let envelope = MailEnvelope(sender: .null, recipients: [.mailbox(recipient)])
        let configuration = SMTPClientConfiguration(host: host, port: port, heloName: "mailferry.invalid", tls: .none)
        let outcomes = try await SMTPClientConnection.withConnection(configuration, clock: ContinuousClock(), logger: Logger(label: "mailferry.postfix")) {
            try await $0.send(SMTPOutgoingMessage(envelope: envelope, content: Array(body.utf8)[...]))
        }
        guard let outcome = outcomes.first, outcome.disposition == .delivered else {
            print("Test message: the old server refused it: \(outcomes.first?.detail ?? "no reply")")
            return false
        }
        print("Test message \(messageID): old server accepted it (\(outcome.detail))")
        guard let spoolDirectory = options.mirrorSpool else { return true }
        let spool = try MailSpool(directory: spoolDirectory)
        let deadline = Date().addingTimeInterval(Double(options.wait))
        while Date() < deadline {
            if let record = try spool.finishedRecords().last(where: { $0.metadata["message-id"] == messageID }) {
                let verdicts = record.recipients.map { "\($0.address): \($0.state.rawValue) (\($0.reply))" }.joined(separator: "; ")
                print("  copy \(record.id) reached the mirror; new server: \(verdicts)")
                return record.recipients.allSatisfy { $0.state == .delivered }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        if let waiting = try spool.entries().first(where: { $0.envelope.metadata["message-id"] == messageID }) {
            print("  copy \(waiting.id) is in the mirror's queue: \(waiting.lastReplies.joined(separator: "; "))")
        } else {
            print("  no copy reached the mirror within \(options.wait)s (see the old server's log and `postqueue -p`)")
        }
        return false
    }

    static func rfc5322Date() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: Date())
    }
}
