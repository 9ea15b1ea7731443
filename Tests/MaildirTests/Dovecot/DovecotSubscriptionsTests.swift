import Testing
@testable import Maildir

@Suite("Dovecot subscriptions")
struct DovecotSubscriptionsTests {
    @Test func version2RoundTripWithEscapes() {
        let subscriptions = DovecotSubscriptions(format: .version2, entries: [["INBOX"], ["Sent", "2023"], ["a\tb"], ["Sent", "2023"]])
        let bytes = subscriptions.serialized()
        #expect(String(decoding: bytes, as: UTF8.self) == "V\t2\n\nINBOX\nSent\t2023\na\u{01}tb\n")
        #expect(DovecotSubscriptions.parse(bytes, path: "s") == subscriptions)
    }

    @Test func version1IsReadAndKept() {
        let parsed = DovecotSubscriptions.parse(Array("INBOX\nSent.2023\nOld.\n".utf8), path: "s")
        #expect(parsed.format == .version1)
        #expect(parsed.entries == [["INBOX"], ["Sent", "2023"], ["Old"]])
        #expect(String(decoding: parsed.serialized(), as: UTF8.self) == "INBOX\nSent.2023\nOld\n")
    }

    @Test func escapeRoundTrip() {
        for text in ["plain", "\u{01}", "a\tb\rc\nd", "\u{01}t"] {
            #expect(DovecotSubscriptions.unescape(Array(DovecotSubscriptions.escape(text).utf8)[...]) == text)
        }
    }
}
