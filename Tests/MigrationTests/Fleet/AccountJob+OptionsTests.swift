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

    /// A Courier Maildir's messages are held as open files, two batches per folder: a batch
    /// takes at most a quarter of the account's descriptor budget with two folders, a sixth
    /// with three, whatever was asked and whatever the destination.
    @Test func batchesOfOpenFilesStayWithinTheDescriptorBudget() {
        let courier = CourierMaildirStore(root: "/m", ledger: nil, pop3Board: nil, logger: logger)
        let dovecot = DovecotMaildirStore(root: "/d", logger: logger)
        let job = AccountJob(name: "a", source: courier, destination: dovecot)
        #expect(job.syncOptions(SyncOptions(), descriptorBudget: 1000).batchMessages == 100)
        #expect(job.syncOptions(SyncOptions(), descriptorBudget: 200).batchMessages == 50)
        var three = SyncOptions()
        three.foldersInParallel = 3
        three.batchMessages = 500
        #expect(job.syncOptions(three, descriptorBudget: 600).batchMessages == 100)
        #expect(job.syncOptions(three, descriptorBudget: 3).batchMessages == 1)

        let imap = IMAPStore(
            endpoint: IMAPEndpoint(host: "127.0.0.1", port: 143, security: .startTLS, tls: IMAPTLSOptions()),
            login: IMAPLogin(user: "a", password: Secret("x")), logger: logger)
        #expect(AccountJob(name: "a", source: courier, destination: imap).syncOptions(SyncOptions(), descriptorBudget: 40).batchMessages == 10)
        #expect(AccountJob(name: "a", source: imap, destination: dovecot).syncOptions(SyncOptions(), descriptorBudget: 40).batchMessages
            == SyncOptions().batchMessages)
        #expect(job.defaultFoldersInParallel == 3)
        #expect(AccountJob(name: "a", source: imap, destination: dovecot).defaultFoldersInParallel == 2)
    }

    /// The connection-limit wrappers a run puts around every store pass both answers on: the
    /// options of a wrapped job are those of the stores inside.
    @Test func theConnectionLimitWrappersPassTheStoresAnswersOn() {
        let courier = CourierMaildirStore(root: "/m", ledger: nil, pop3Board: nil, logger: logger)
        let dovecot = DovecotMaildirStore(root: "/d", logger: logger)
        let wrapped = AccountJob(
            name: "a", source: LimitedSourceStore(courier, limiter: ConnectionLimiter(limit: 2)),
            destination: LimitedDestinationStore(dovecot, limiter: ConnectionLimiter(limit: 2)))
        let plain = AccountJob(name: "a", source: courier, destination: dovecot)
        #expect(wrapped.source.bodiesAreOpenFiles && wrapped.destination.writeProfile == dovecot.writeProfile)
        #expect(wrapped.syncOptions(SyncOptions(), descriptorBudget: 600).batchMessages == 100)
        #expect(wrapped.syncOptions(SyncOptions(), descriptorBudget: 200).batchMessages
            == plain.syncOptions(SyncOptions(), descriptorBudget: 200).batchMessages)
        #expect(wrapped.syncOptions(SyncOptions()).memoryThreshold == 32 * 1024 * 1024)
        #expect(wrapped.defaultFoldersInParallel == 3)
    }
}
