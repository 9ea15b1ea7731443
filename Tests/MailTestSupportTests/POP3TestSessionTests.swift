@testable import MailTestSupport
@testable import TestbedClient
import Testing

@Suite struct POP3TestSessionTests {
    @Test(arguments: [
        ("+OK Logged in.", true, "Logged in."), ("+OK", true, ""), ("-ERR [AUTH] Authentication failed.", false, "[AUTH] Authentication failed."),
        ("-ERR", false, ""),
    ])
    func parsesStatusLines(line: String, ok: Bool, text: String) throws {
        let status = try POP3TestSession.status(line, peer: "p")
        #expect(status.isOK == ok)
        #expect(status.text == text)
    }

    @Test(arguments: ["+OKAY", "* OK imap", "", "ok"])
    func refusesWhatIsNotAStatusLine(line: String) {
        #expect(throws: LineSocketError.self) { try POP3TestSession.status(line, peer: "p") }
    }
}
