import MailModel
import MailSpool
import Testing

@testable import Relay

@Suite struct FreshMessagesTests {
    static func message(_ size: Int, at time: Double = 1_700_000_000) -> CommittedMessage {
        let envelope = SpoolEnvelope(
            id: .make(unixTime: time), receivedAt: time,
            envelope: MailEnvelope(sender: .null, recipients: [.mailbox(EmailAddress("bob@example.com")!)]))
        return CommittedMessage(id: envelope.id, bodyLength: size, contents: (envelope, Array(repeating: 0x41, count: size)))
    }

    @Test func holdsUpToItsLimitAndGivesEachOnce() {
        let fresh = FreshMessages(limit: 100)
        let first = Self.message(60), second = Self.message(50), third = Self.message(40)
        fresh.put(first)
        fresh.put(second)  // 110 > 100: read from the spool instead
        fresh.put(third)
        #expect(fresh.heldBytes == 100)
        #expect(fresh.take(second.id) == nil)
        #expect(fresh.take(first.id)?.contents?.body.count == 60)
        #expect(fresh.take(first.id) == nil, "taken once")
        #expect(fresh.heldBytes == 40)
        fresh.put(second)
        #expect(fresh.heldBytes == 90, "room again once taken")
    }

    @Test func keepsNothingOfAMessageStreamedToAFile() {
        let fresh = FreshMessages(limit: 100)
        fresh.put(CommittedMessage(id: Self.message(10).id, bodyLength: 10))
        #expect(fresh.heldBytes == 0)
    }
}
