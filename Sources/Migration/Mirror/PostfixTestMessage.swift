import Foundation
import Logging
import MailModel
import MailSpool
import SMTPClient
import SMTPCodec

/// The test message of `postfix mirror --test-to`: sent through the old server's SMTP
/// listener, then looked for in the mirror's spool, where its copy shows the new server's
/// verdict. The Message-ID, fresh for each message, is how the copy is recognised.
public struct PostfixTestMessage: Sendable {
    public let recipient: EmailAddress
    /// `<mailferry-test-UUID@mailferry.invalid>`.
    public let messageID: String
    /// The whole message, CRLF line ends.
    public let content: [UInt8]

    /// The old server's answer to the message.
    public enum Sent: Sendable, Equatable {
        /// Accepted for delivery; `detail` is the server's reply.
        case accepted(detail: String)
        /// Refused, or no reply at all (nil).
        case refused(detail: String?)
    }

    /// Where the copy is in the mirror's spool once the wait ends.
    public enum Copy: Sendable, Equatable {
        /// The mirror finished with it: the new server's verdict for each recipient.
        case finished(FinishedRecord)
        /// Still in the mirror's queue (deferred, held): its latest replies.
        case queued(SpoolEntry)
        /// No copy reached the mirror.
        case missing
    }

    /// A message to `recipient`, from `postmaster@` its domain, dated `date`.
    public init(to recipient: EmailAddress, date: Date = Date()) {
        self.recipient = recipient
        messageID = "<mailferry-test-\(UUID().uuidString.lowercased())@mailferry.invalid>"
        let text = "From: mailferry <postmaster@\(recipient.domain)>\r\nTo: <\(recipient)>\r\nSubject: mailferry mirror test\r\n"
            + "Message-ID: \(messageID)\r\nDate: \(Self.rfc5322Date(date))\r\n\r\nThis message tests the mirror phase. It can be deleted.\r\n"
        content = Array(text.utf8)
    }

    /// Sends the message (null sender, plain SMTP) to the listener at `host`:`port`.
    public func send(host: String, port: Int, logger: Logger) async throws -> Sent {
        let envelope = MailEnvelope(sender: .null, recipients: [.mailbox(recipient)])
        let configuration = SMTPClientConfiguration(host: host, port: port, heloName: "mailferry.invalid", tls: .none)
        let outcomes = try await SMTPClientConnection.withConnection(configuration, clock: ContinuousClock(), logger: logger) {
            try await $0.send(SMTPOutgoingMessage(envelope: envelope, content: content[...]))
        }
        guard let outcome = outcomes.first, outcome.disposition == .delivered else { return .refused(detail: outcomes.first?.detail) }
        return .accepted(detail: outcome.detail)
    }

    /// Looks for the copy in the spool at `spoolDirectory` every `interval` on `clock` until
    /// the mirror finished with it or `wait` has passed. The spool has no event a process
    /// outside the mirror could wait on, hence the polling; the clock is injected so tests
    /// run the wait without sleeping.
    public func awaitCopy<C: Clock<Duration>>(
        spoolDirectory: String, wait: Duration, clock: C, interval: Duration = .milliseconds(250)
    ) async throws -> Copy {
        let spool = try MailSpool(directory: spoolDirectory)
        let deadline = clock.now.advanced(by: wait)
        while clock.now < deadline {
            if let record = try spool.finishedRecords().last(where: { $0.metadata["message-id"] == messageID }) {
                return .finished(record)
            }
            try await clock.sleep(for: interval)
        }
        if let waiting = try spool.entries().first(where: { $0.envelope.metadata["message-id"] == messageID }) {
            return .queued(waiting)
        }
        return .missing
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
