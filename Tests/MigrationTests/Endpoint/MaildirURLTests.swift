@testable import Migration
import Testing

@Suite struct MaildirURLTests {
    @Test func parsesPathsAndSettings() throws {
        let plain = try MaildirURL(parsing: "maildir:/home/alice/Maildir/")
        #expect(plain.path == "/home/alice/Maildir" && plain.format == nil && plain.utf8 == nil)
        let full = try MaildirURL(parsing: "MAILDIR:///var/vmail/a b/Maildir?format=Dovecot&utf8=yes&separator=.&prefix=INBOX.")
        #expect(full.path == "/var/vmail/a b/Maildir")
        #expect(full.format == .dovecot && full.utf8 == true && full.separator == "." && full.prefix == "INBOX.")
        #expect(try MaildirURL(parsing: "maildir:/m?format=courier&utf8=no").utf8 == false)
    }

    @Test(arguments: [
        ("maildir:Maildir", "absolute"), ("maildir:/m?format=mbox", "courier or dovecot"), ("maildir:/m?utf8=maybe", "yes or no"),
        ("maildir:/m?colour=blue", "unknown setting colour"), ("maildir:/home/{user}/Maildir", "--config"),
        ("maildir:/m?separator=ab", "one character"), ("imap://a@b", "maildir:/path"),
    ])
    func refuses(text: String, expected: String) {
        #expect { try MaildirURL(parsing: text) } throws: { "\($0)".contains(expected) }
    }
}
