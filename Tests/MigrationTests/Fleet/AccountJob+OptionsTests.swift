import IMAPClient
import Logging
import MailModel
import SyncBackends
import SyncEngine
import Testing

@testable import Migration

/// Per-account options: only a Dovecot Maildir destination keeps large messages in memory.
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

    /// From a Courier Maildir (messages held as open files) into a Dovecot Maildir, batches
    /// are larger; from IMAP, or into IMAP, they stay as asked (their messages are in memory).
    @Test func batchesFromMaildirFilesIntoAMaildirAreLarger() {
        let courier = CourierMaildirStore(root: "/m", ledger: nil, pop3Board: nil, logger: logger)
        let dovecot = DovecotMaildirStore(root: "/d", logger: logger)
        let options = AccountJob(name: "a", source: courier, destination: dovecot).syncOptions(SyncOptions())
        #expect(options.batchMessages == 100 && options.batchBytes == 8 * 1024 * 1024)
        var asked = SyncOptions()
        asked.batchMessages = 500
        #expect(AccountJob(name: "a", source: courier, destination: dovecot).syncOptions(asked).batchMessages == 500)

        let imap = IMAPStore(
            endpoint: IMAPEndpoint(host: "127.0.0.1", port: 143, security: .startTLS, tls: IMAPTLSOptions()),
            login: IMAPLogin(user: "a", password: Secret("x")), logger: logger)
        #expect(AccountJob(name: "a", source: imap, destination: dovecot).syncOptions(SyncOptions()).batchMessages == SyncOptions().batchMessages)
        #expect(AccountJob(name: "a", source: courier, destination: imap).syncOptions(SyncOptions()).batchBytes == SyncOptions().batchBytes)
    }
}
