@testable import IMAPCodec
import MailModel
import Testing

/// The byte-level date-time fast path agrees with MailModel's InternalDate parser.
@Suite struct DateTimeParsingTests {
    @Test(arguments: [
        "17-Jul-1996 02:44:25 -0700", " 7-Feb-1994 21:52:25 -0800", "01-Jan-1970 00:00:00 +0000", "29-Feb-2024 23:59:59 +1400",
        "31-Dec-1969 23:59:59 +0000", "01-Mar-1900 12:00:00 -1200", "28-Feb-2100 06:30:00 +0530", "15-jun-2021 10:00:00 +0100",
    ])
    func fastPathMatchesInternalDate(_ text: String) throws {
        let fast = try #require(GrammarParser.fixedDateTime(Array(text.utf8)))
        let slow = try #require(InternalDate(imapString: text))
        #expect(fast == slow)
    }

    @Test(arguments: ["7-Feb-1994 21:52:25 -0800", "17-Foo-1996 02:44:25 -0700", "17-Jul-1996 24:00:00 +0000", "17-Jul-1996 02:44:25 x0700", "17-Jul-96 02:44:25 -0700"])
    func fastPathDeclines(_ text: String) {
        #expect(GrammarParser.fixedDateTime(Array(text.utf8)) == nil)
    }
}
