import Foundation
import IMAPClient
import MailModel
import Migration
import SyncBackends
import Testing

@Suite struct IMAPAccountSpecTests {
    func spec(masterUser: String?, separator: String = "*") throws -> IMAPAccountSpec {
        try IMAPAccountSpec(
            url: IMAPURL(parsing: "imap://tbbench@host"),
            password: SecretSource(fileFlag: "--password-file", environmentVariable: "MAILFERRY_TEST_OWNER"), masterUser: masterUser,
            masterPassword: SecretSource(fileFlag: "--master-password-file", environmentVariable: "MAILFERRY_TEST_MASTER"),
            masterSeparator: separator)
    }

    /// Which password and which user the login carries; the mechanism is ``IMAPLogin``'s.
    @Test func masterUserLogsInWithTheMasterPassword() throws {
        let owner = try spec(masterUser: nil).login(environment: ["MAILFERRY_TEST_OWNER": "own", "MAILFERRY_TEST_MASTER": "mst"])
        #expect(owner.user == "tbbench" && owner.masterUser == nil && owner.password.revealed == "own")
        let master = try spec(masterUser: "tbmigrator", separator: "%")
            .login(environment: ["MAILFERRY_TEST_OWNER": "own", "MAILFERRY_TEST_MASTER": "mst"])
        #expect(master.user == "tbbench" && master.masterUser == "tbmigrator" && master.password.revealed == "mst")
        guard case .login(let username, _) = master.credentials(serverOffersPlain: false) else {
            Issue.record("expected LOGIN without AUTH=PLAIN")
            return
        }
        #expect(username == "tbbench%tbmigrator")
    }
}
