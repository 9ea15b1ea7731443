import IMAPClient
import Logging
import MailModel
import SyncBackends
import SyncEngine
import Testing

@testable import Migration

/// Per-account options: only a Dovecot Maildir destination keeps large messages in memory and
/// takes larger batches.
@Suite struct AccountJobOptionsTests {
    let logger = Logger(label: "test")

    @Test func aMaildirDestinationKeepsMessagesUpTo32MiBInMemory() {
        let courier = CourierMaildirStore(root: "/m", ledger: nil, pop3Board: nil, logger: logger)
        let maildir = AccountJob(name: "a", source: courier, destination: DovecotMaildirStore(root: "/d", logger: logger))
        #expect(maildir.syncOptions(SyncOptions()).memoryThreshold == 32 * 1024 * 1024)
        var larger = SyncOptions()
        larger.memoryThreshold = 64 * 1024 * 1024
        #expect(maildir.syncOptions(larger).memoryThreshold == 64 * 1024 * 1024)

        let imap = AccountJob(name: "a", source: courier, destination: IMAPStore(
            endpoint: IMAPEndpoint(host: "127.0.0.1", port: 143, security: .startTLS, tls: IMAPTLSOptions()),
            login: IMAPLogin(user: "a", password: Secret("x")), logger: logger))
        #expect(imap.syncOptions(SyncOptions()).memoryThreshold == SyncOptions().memoryThreshold)
    }

    /// Each batch into a Dovecot Maildir costs a syncfs, a dovecot-uidlist rewrite and two
    /// journal commits: 4 MiB batches instead of the IMAP path's 512 KiB.
    @Test func aMaildirDestinationTakesLargerBatches() {
        let courier = CourierMaildirStore(root: "/m", ledger: nil, pop3Board: nil, logger: logger)
        let maildir = AccountJob(name: "a", source: courier, destination: DovecotMaildirStore(root: "/d", logger: logger))
        let options = maildir.syncOptions(SyncOptions())
        #expect(options.batchBytes == 4 * 1024 * 1024)
        #expect(options.batchMessages == 250)
        #expect(2 * options.batchBytes <= options.memoryThreshold, "two batches in flight stay within the staging budget")

        let imap = AccountJob(name: "a", source: courier, destination: IMAPStore(
            endpoint: IMAPEndpoint(host: "127.0.0.1", port: 143, security: .startTLS, tls: IMAPTLSOptions()),
            login: IMAPLogin(user: "a", password: Secret("x")), logger: logger))
        #expect(imap.syncOptions(SyncOptions()).batchBytes == SyncOptions().batchBytes)
        #expect(imap.syncOptions(SyncOptions()).batchMessages == SyncOptions().batchMessages)
    }
}
