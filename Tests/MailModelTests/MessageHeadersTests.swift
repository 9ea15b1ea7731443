import MailModel
import Testing

@Suite struct MessageHeadersTests {
    @Test func readsFoldedFieldsWithAnyLineEnd() {
        for newline in ["\r\n", "\n"] {
            let text = ["From: a@b", "Subject: one", "  two", "Message-ID: <x@y>", "", "Subject: body"].joined(separator: newline)
            let headers = MessageHeaders(prefix: Array(text.utf8))
            #expect(headers.subject == "one  two")
            #expect(headers.messageID == "<x@y>")
            #expect(headers.rawValue("FROM") == "a@b")
        }
    }

    @Test(arguments: [
        ("=?UTF-8?B?R3LDvMOfZQ==?=", "Grüße"),
        ("=?ISO-8859-1?Q?Caf=E9_ouvert?=", "Café ouvert"),
        ("=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),
        ("Re: =?UTF-8?B?5pel5pys6Kqe?= now", "Re: 日本語 now"),
        ("=?X-UNKNOWN?B?AAAA?=", "=?X-UNKNOWN?B?AAAA?="),
        ("plain =? not a word", "plain =? not a word"),
    ])
    func decodesEncodedWords(input: String, expected: String) {
        #expect(EncodedWords.decode(input) == expected)
    }

    @Test func toleratesEightBitAndMissingFields() {
        let bytes: [UInt8] = Array("Subject: caf".utf8) + [0xE9] + Array("\r\n\r\n".utf8)
        let headers = MessageHeaders(prefix: bytes)
        #expect(headers.subject == "café")
        #expect(headers.messageID == nil)
        #expect(MessageHeaders(prefix: []).subject == nil)
    }
}
