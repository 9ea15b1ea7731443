import MailModel
import MailSpool
import Relay
import Testing

/// Issue 13.9: the lines on top of a copy.
@Suite struct MirrorTraceTests {
    static let trace = MirrorTrace(tag: MirrorTag(key: Array(repeating: 1, count: 32)), hostname: "mirror.example")
    static let id = QueueID("066160ACCB65B7-E01438F7")!

    @Test(arguments: [
        // (client, recipients, expected Received: line)
        ("192.0.2.1", ["bob@new.test"],
         "Received: from [192.0.2.1]\r\n\tby mirror.example (mailferry mirror) id 066160ACCB65B7-E01438F7\r\n\tfor <bob@new.test>; Mon, 30 Nov 2026 11:04:13 +0000\r\n"),
        ("2001:db8::1", ["bob@new.test", "carol@new.test"],
         "Received: from [IPv6:2001:db8::1]\r\n\tby mirror.example (mailferry mirror) id 066160ACCB65B7-E01438F7; Mon, 30 Nov 2026 11:04:13 +0000\r\n"),
        (nil, [],
         "Received: from unknown\r\n\tby mirror.example (mailferry mirror) id 066160ACCB65B7-E01438F7; Mon, 30 Nov 2026 11:04:13 +0000\r\n"),
    ] as [(String?, [String], String)])
    func tagThenReceived(client: String?, recipients: [String], received: String) {
        let paths = recipients.map { ForwardPath.mailbox(EmailAddress($0)!) }
        let lines = Self.trace.lines(id: Self.id, client: client, recipients: paths, unixTime: 1_796_036_653.9)
        #expect(lines == Self.trace.tag.headerLine(for: Self.id) + received)
    }
}
