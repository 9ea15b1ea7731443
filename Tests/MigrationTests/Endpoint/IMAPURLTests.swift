@testable import Migration
import Testing

@Suite struct IMAPURLTests {
    @Test func parsesSchemesUsersAndPorts() throws {
        #expect(try IMAPURL(parsing: "imap://alice@mail.example.com") == IMAPURL(scheme: .imap, user: "alice", host: "mail.example.com", port: 143))
        #expect(try IMAPURL(parsing: "imaps://alice@mail.example.com") == IMAPURL(scheme: .imaps, user: "alice", host: "mail.example.com", port: 993))
        #expect(try IMAPURL(parsing: "IMAP://tbbench*tbmigrator@127.0.0.1:20143/") == IMAPURL(scheme: .imap, user: "tbbench*tbmigrator", host: "127.0.0.1", port: 20143))
        #expect(try IMAPURL(parsing: "imap://alice%40example.com@[::1]:1143") == IMAPURL(scheme: .imap, user: "alice@example.com", host: "::1", port: 1143))
        #expect(try IMAPURL(parsing: "imap://a@b@host").user == "a@b")
    }

    @Test(arguments: ["mail.example.com", "pop3://a@b", "imap://host", "imap://alice:secret@host", "imap://a@host:0", "imap://a@host:x", "imap://a@", "imap://%zz@host"])
    func refuses(_ text: String) {
        #expect(throws: IMAPURLError.self) { try IMAPURL(parsing: text) }
    }

    @Test func passwordInURLIsRefusedWithoutEchoingIt() {
        do {
            _ = try IMAPURL(parsing: "imap://alice:hunter2@host")
            Issue.record("should have failed")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }
}
