@testable import MailTestSupport
@testable import TestbedClient
import Testing

@Suite struct IMAPTestSessionTests {
    @Test(arguments: [
        ("* 1 FETCH (BODY[] {42}", 42), ("* 1 FETCH (BODY[] {7+}", 7), ("* OK done", nil),
        ("* LIST () \".\" {x}", nil), ("{0}", 0),
    ] as [(String, Int?)])
    func findsTrailingLiterals(line: String, size: Int?) {
        #expect(IMAPTestSession.trailingLiteralSize(line) == size)
    }

    @Test func quotesBackslashAndDoubleQuote() {
        #expect(IMAPTestSession.quoted(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(IMAPTestSession.quoted("tbbench*tbmigrator") == #""tbbench*tbmigrator""#)
    }
}
