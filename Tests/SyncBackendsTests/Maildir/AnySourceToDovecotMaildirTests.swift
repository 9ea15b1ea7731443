import Foundation
import MailModel
import Maildir
import StateStore
import SyncBackends
import SyncEngine
import SyncTestSupport
import Testing
import Verify

/// Any source (here the engine's in-memory IMAP server, standing for Courier over IMAP):
/// the Dovecot Maildir takes the UIDs and UIDVALIDITY of its SELECT and UID FETCH.
@Suite struct AnySourceToDovecotMaildirTests {
    @Test func theSourcesUIDsGapsAndUIDValidityAreKept() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let server = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "INBOX.", separator: "."), firstValidity: 1_234)
        server.addFolder("INBOX.Archive", subscribed: true, validity: 99)
        for index in 1...6 { server.deliver("Subject: \(index)\r\n\r\nbody \(index)\r\n", flags: index.isMultiple(of: 2) ? [.seen] : []) }
        server.deliver("Subject: kept\r\n\r\n", to: "INBOX.Archive", flags: [.seen, Flag("$Label1")])
        server.expungeAll(in: "INBOX") { $0.uid.rawValue == 2 || $0.uid.rawValue == 5 }
        let source = InMemoryStore(server: server)

        var options = SyncOptions()
        options.temporaryDirectory = fixture.state + "/tmp"
        try FileManager.default.createDirectory(atPath: options.temporaryDirectory, withIntermediateDirectories: true)
        let report = await AccountSync(
            account: "alice", source: source, destination: fixture.dovecotStore(), stateStore: try SQLiteStateStore(directory: fixture.state),
            options: options
        ).run()
        #expect(report.outcome == .complete, "\(report.folders.compactMap(\.error))")
        #expect(fixture.uidlist().split(separator: "\n").map { String($0.split(separator: " ").first!) } == ["3", "1", "3", "4", "6"])
        #expect(fixture.uidlist().hasPrefix("3 V1234 N7 M7\n"))
        #expect(fixture.uidlist("Archive").hasPrefix("3 V99 N2 M2\n"))

        var verifyOptions = VerifyOptions()
        verifyOptions.deep = true
        verifyOptions.expectSameUIDs = true
        let verified = await AccountVerifier(
            account: "alice", source: source, destination: fixture.dovecotStore(), store: nil, options: verifyOptions
        ).run()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(3))")

        // New mail on the source later: it keeps its UID too.
        server.deliver("Subject: later\r\n\r\n")
        let again = await AccountSync(
            account: "alice", source: source, destination: fixture.dovecotStore(), stateStore: try SQLiteStateStore(directory: fixture.state),
            options: options
        ).run()
        #expect(again.copied == 1)
        #expect(fixture.uidlist().contains("\n7 :"))
    }

    @Test func pop3UIDLsGivenAfterTheCopyAreWrittenByTheNextRun() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let a = try fixture.deliver(unique: "1700000001", flags: "S")
        let b = try fixture.deliver(unique: "1700000002", flags: nil)
        try fixture.write("courierimapuiddb", "1 700000000 2\n1 \(a)\n")
        #expect(try await fixture.sync().copied == 2)
        #expect(!fixture.uidlist().contains(" P"))
        // The user logs in over POP3 on the old server: Courier numbers both for POP3 (and moves b to cur/).
        try FileManager.default.moveItem(atPath: "\(fixture.source)/new/\(b)", toPath: "\(fixture.source)/cur/\(b):2,")
        try fixture.write("courierpop3dsizelist", "/3 3 1690000000\n\(b):2, 300 1:1690000000:0\n\(a):2,S 300 2:1690000000:0\n")
        #expect(try await fixture.sync().copied == 0)
        let list = fixture.uidlist()
        #expect(list.contains("1 O2 PUID2-1690000000 :"), "\(list)")
        #expect(list.contains("2 O1 PUID1-1690000000 :"), "\(list)")
    }
}
