import Foundation
import MailModel
import MailSpool
import MailTestSupport
import Migration
import Testing

/// `postfix mirror --test-to`'s message and its wait for the copy, on a spool made here and a
/// test clock: no SMTP, no sleeping.
@Suite struct PostfixTestMessageTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("test-message-\(UUID().uuidString)").path

    func message() throws -> PostfixTestMessage {
        PostfixTestMessage(to: try #require(EmailAddress("alice@example.com")), date: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// A copy of `message` in the spool, its recipient at `state`, finished or still queued.
    func spoolCopy(of message: PostfixTestMessage, state: RecipientState, finished: Bool) throws -> QueueID {
        let spool = try MailSpool(directory: directory)
        let envelope = SpoolEnvelope(
            id: .make(unixTime: 1_700_000_000), receivedAt: 1, envelope: MailEnvelope(sender: .null, recipients: [.mailbox(message.recipient)]),
            metadata: ["message-id": message.messageID])
        let entry = try spool.commit(envelope, body: message.content)
        try spool.appendStatus(entry.id, SpoolStatusRecord(at: 2, results: [.init(index: 0, state: state, reply: "250 2.0.0 Ok")], nextAttemptAt: nil))
        if finished { try spool.complete(try spool.entry(entry.id), at: 3) }
        return entry.id
    }

    @Test func theMessageCarriesItsIDAndAddresses() throws {
        let message = try message()
        let text = String(decoding: message.content, as: UTF8.self)
        #expect(message.messageID.hasPrefix("<mailferry-test-") && message.messageID.hasSuffix("@mailferry.invalid>"))
        #expect(text.hasPrefix("From: mailferry <postmaster@example.com>\r\nTo: <alice@example.com>\r\nSubject: mailferry mirror test\r\n"))
        #expect(text.contains("Message-ID: \(message.messageID)\r\nDate: "))
        #expect(try PostfixTestMessage(to: #require(EmailAddress("a@b.example"))).messageID != message.messageID)
    }

    @Test func aFinishedCopyEndsTheWaitAtOnce() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let message = try message()
        let id = try spoolCopy(of: message, state: .delivered, finished: true)
        let clock = TestClock(advance: .onSleep)
        guard case .finished(let record) = try await message.awaitCopy(spoolDirectory: directory, wait: .seconds(30), clock: clock) else {
            Issue.record("expected the finished copy")
            return
        }
        #expect(record.id == id && record.recipients.map(\.state) == [.delivered])
        #expect(clock.sleeps.isEmpty)
    }

    @Test func aQueuedCopyIsReportedWhenTheWaitEnds() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let message = try message()
        let id = try spoolCopy(of: message, state: .deferred, finished: false)
        let clock = TestClock(advance: .onSleep)
        let copy = try await message.awaitCopy(spoolDirectory: directory, wait: .seconds(2), clock: clock, interval: .milliseconds(500))
        guard case .queued(let entry) = copy else {
            Issue.record("expected the queued copy, got \(copy)")
            return
        }
        #expect(entry.id == id)
        #expect(clock.sleeps.map(\.offset) == [.milliseconds(500), .seconds(1), .milliseconds(1500), .seconds(2)])
    }

    @Test func noCopyIsMissing() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let copy = try await message().awaitCopy(spoolDirectory: directory, wait: .seconds(1), clock: TestClock(advance: .onSleep))
        #expect(copy == .missing)
    }
}
