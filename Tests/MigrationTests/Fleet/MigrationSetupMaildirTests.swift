import Foundation
import Logging
import Maildir
import Relay
import SyncBackends
import Testing

@testable import Migration

/// `maildir:` endpoints from flags and from the config: which stores they become and what
/// is refused before anything starts.
@Suite struct MigrationSetupMaildirTests {
    let logger = Logger(label: "test")

    func setup(
        from: MigrationRequest.Side, to: MigrationRequest.Side, readOnly: Bool = false, _ adjust: (inout MigrationRequest) -> Void = { _ in }
    ) throws -> MigrationSetup {
        var request = MigrationRequest()
        request.from = from
        request.to = to
        request.state = "/tmp/st"
        adjust(&request)
        return try MigrationSetup.resolve(request, readOnly: readOnly, logger: logger)
    }

    @Test func courierToDovecotFromFlags() throws {
        let resolved = try setup(
            from: .init(url: "maildir:/home/alice/Maildir"), to: .init(url: "maildir:/var/vmail/alice/Maildir?utf8=yes&prefix=INBOX.&separator=.")
        ) {
            $0.owner = "0:0"
            $0.overwriteUIDValidity = true
        }
        let job = try #require(resolved.jobs.first)
        #expect(job.name == "/home/alice/Maildir")
        let source = try #require(job.source as? CourierMaildirStore)
        #expect(source.root == "/home/alice/Maildir")
        #expect(source.ledger == CourierUIDLedgerStore(directory: "/tmp/st/maildir-uids") && source.updatesLedger)
        let destination = try #require(job.destination as? DovecotMaildirStore)
        #expect(destination.root == "/var/vmail/alice/Maildir")
        #expect(destination.owner == MaildirOwnership(uid: 0, gid: 0))
        #expect(destination.options.overwriteUIDValidity)
        #expect(destination.layout == DovecotLayout(encoding: .utf8, namespacePrefix: "INBOX.", namespaceSeparator: "."))
        #expect(source.pop3Board === destination.pop3Board, "the source hands POP3 UIDLs to the destination")
    }

    /// Three folders at once from a Courier Maildir into a Dovecot Maildir unless a flag
    /// says otherwise (two from IMAP: AccountJobOptionsTests).
    @Test func localMaildirsWorkOnThreeFoldersAtOnceByDefault() throws {
        let maildirs = (from: MigrationRequest.Side(url: "maildir:/home/alice/Maildir"), to: MigrationRequest.Side(url: "maildir:/var/vmail/alice/Maildir"))
        #expect(try setup(from: maildirs.from, to: maildirs.to) { $0.owner = "0:0" }.foldersInParallel == 3)
        #expect(try setup(from: maildirs.from, to: maildirs.to) {
            $0.owner = "0:0"
            $0.foldersInParallel = 2
        }.foldersInParallel == 2)
    }

    /// Issue 16: the mirror's key file gives the destination its ``MirrorCopies``, and
    /// `--settle` reaches the Courier source; both are refused where they mean nothing.
    @Test func theMirrorKeyAndTheSettleWindowReachTheMaildirStores() throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: spool) }
        _ = try MirrorTag.loadOrCreate(spoolDirectory: spool)
        let resolved = try setup(from: .init(url: "maildir:/home/alice/Maildir"), to: .init(url: "maildir:/var/vmail/alice/Maildir")) {
            $0.owner = "0:0"
            $0.mirrorTagKeyFile = MirrorTag.keyPath(spoolDirectory: spool)
            $0.settleSeconds = 10
        }
        let destination = try #require(resolved.jobs.first?.destination as? DovecotMaildirStore)
        #expect(destination.mirrorCopies?.uidReserve == MirrorCopies.defaultUIDReserve)
        #expect((resolved.jobs.first?.source as? CourierMaildirStore)?.options.settleSeconds == 10)
        #expect(try setup(from: .init(url: "maildir:/m"), to: .init(url: "maildir:/d")).jobs[0].destination is DovecotMaildirStore)
        #expect((try setup(from: .init(url: "maildir:/m"), to: .init(url: "maildir:/d")).jobs[0].destination as? DovecotMaildirStore)?
            .mirrorCopies == nil)
        #expect {
            _ = try setup(from: .init(url: "maildir:/m"), to: .init(url: "maildir:/d")) { $0.mirrorTagKeyFile = spool + "/missing.key" }
        } throws: { "\($0)".contains("--mirror-tag-key") }
        #expect {
            _ = try setup(from: .init(url: "imap://alice@old.example"), to: .init(url: "maildir:/d")) { $0.settleSeconds = 10 }
        } throws: { "\($0)".contains("--settle is for a maildir: source") }
        #expect {
            _ = try setup(from: .init(url: "maildir:/m"), to: .init(url: "maildir:/d")) { $0.settleSeconds = -1 }
        } throws: { "\($0)".contains("0 or more") }
    }

    @Test func imapToDovecotMaildirAndVerifyOnlyReads() throws {
        let password = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)").path
        try "secret\n".write(toFile: password, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: password) }
        let resolved = try setup(
            from: .init(url: "imap://alice@old.example", passwordFile: password), to: .init(url: "maildir:/var/vmail/alice/Maildir"),
            readOnly: true)
        #expect(resolved.jobs[0].name == "alice")
        #expect(resolved.jobs[0].destination is DovecotMaildirStore)
        let verify = try setup(from: .init(url: "maildir:/m"), to: .init(url: "maildir:/d"), readOnly: true)
        #expect((verify.jobs[0].source as? CourierMaildirStore)?.updatesLedger == false)
    }

    @Test(arguments: [
        (MigrationRequest.Side(url: "maildir:/m"), MigrationRequest.Side(url: "imap://a@b"), String?("root"), "--owner is for a maildir: destination"),
        (.init(url: "maildir:/m"), .init(url: "maildir:/d?format=courier"), nil, "writes Dovecot Maildirs only"),
        (.init(url: "maildir:/m", passwordFile: "/x"), .init(url: "maildir:/d"), nil, "takes no password"),
        (.init(url: "maildir:/m"), .init(url: "maildir:/d"), "no-such-user-here", "no such user"),
    ])
    func refuses(from: MigrationRequest.Side, to: MigrationRequest.Side, owner: String?, expected: String) {
        #expect { _ = try setup(from: from, to: to) { $0.owner = owner } } throws: { "\($0)".contains(expected) }
    }

    @Test func configURLsTakeTheAccountsUserAndHome() throws {
        #expect(try MigrationSetup.url("maildir:/srv/mail/{user}/Maildir?format=dovecot", user: "alice") == "maildir:/srv/mail/alice/Maildir?format=dovecot")
        #expect(try MigrationSetup.url("maildir:{home}/Maildir", user: "root") == "maildir:\(SystemAccounts.lookup(name: "root")!.home)/Maildir")
        #expect { _ = try MigrationSetup.url("maildir:{home}/Maildir", user: "no-such-user-here") } throws: { "\($0)".contains("no system account") }
        #expect(try MigrationSetup.url("imap://host", user: "alice") == "imap://alice@host")
    }

    @Test func aConfigOfMaildirsGivesEachAccountItsOwnPaths() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.toml").path
        try """
            [source]
            url = "maildir:/srv/old/{user}/Maildir"
            [destination]
            url = "maildir:/var/vmail/{user}/Maildir?format=dovecot"
            owner = "0:0"
            [sync]
            state = "state"
            [[accounts]]
            user = "alice"
            [[accounts]]
            user = "bob"
            destination_user = "robert"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        var request = MigrationRequest()
        request.config = path
        let resolved = try MigrationSetup.resolve(request, logger: logger)
        #expect(resolved.jobs.map(\.name) == ["alice", "bob"])
        #expect(resolved.jobs.compactMap { ($0.source as? CourierMaildirStore)?.root } == ["/srv/old/alice/Maildir", "/srv/old/bob/Maildir"])
        let destinations = resolved.jobs.compactMap { $0.destination as? DovecotMaildirStore }
        #expect(destinations.map(\.root) == ["/var/vmail/alice/Maildir", "/var/vmail/robert/Maildir"])
        #expect(destinations.allSatisfy { $0.owner == MaildirOwnership(uid: 0, gid: 0) })
        #expect((resolved.jobs[0].source as? CourierMaildirStore)?.ledger?.directory == directory.appendingPathComponent("state/maildir-uids").path)
    }
}
