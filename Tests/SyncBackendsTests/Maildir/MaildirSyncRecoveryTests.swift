import Foundation
import Glibc
import MailModel
import Maildir
import SyncBackends
import SyncEngine
import Testing
import Verify

/// What goes wrong between two runs or in the middle of one: a destination folder that
/// already has another UIDVALIDITY, a batch staged but never committed, a lock held by
/// another process.
@Suite struct MaildirSyncRecoveryTests {
    /// INBOX holds `count` messages, all recorded in Courier's UID database (UIDs 1…count).
    func inbox(_ fixture: MaildirSyncFixture, count: Int) throws {
        var database = "1 700000000 \(count + 1)\n"
        for index in 0..<count {
            let base = try fixture.deliver(unique: "\(1_700_000_000 + index)", flags: "S")
            database += "\(index + 1) \(base)\n"
        }
        try fixture.write("courierimapuiddb", database)
    }

    /// A destination INBOX as Dovecot left it: its own UIDVALIDITY, and `bodies` numbered 1, 2, …
    func dovecotInbox(_ fixture: MaildirSyncFixture, validity: UInt32, bodies: [String]) throws {
        var list = "3 V\(validity) N\(bodies.count + 1)\n"
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: fixture.destination + "/" + sub, withIntermediateDirectories: true)
        }
        for (index, body) in bodies.enumerated() {
            let base = "1690000000.M\(index)P1.newhost,S=\(body.utf8.count)"
            try fixture.write(fixture.destination + "/cur/\(base):2,S", Array(body.utf8))
            list += "\(index + 1) :\(base)\n"
        }
        try fixture.write(fixture.destination + "/dovecot-uidlist", Array(list.utf8))
    }

    @Test func aFolderHoldingMessagesUnderAnotherUIDValidityIsRefusedUnlessOverwritten() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        try inbox(fixture, count: 3)
        let sameAsFirst = MaildirSyncFixture.body("1700000000")
        try dovecotInbox(fixture, validity: 1_700_000_000, bodies: ["Subject: delivered on the new server\n\nhi\n", sameAsFirst])
        let before = fixture.uidlist()

        let refused = try await fixture.sync()
        #expect(refused.outcome == .partial)
        let error = try #require(refused.folders.first { $0.sourceFolder == "INBOX" }?.error)
        #expect(error.contains("UIDVALIDITY 1700000000") && error.contains("--overwrite-uidvalidity"), "\(error)")
        #expect(fixture.uidlist() == before, "a refused folder must not be written")

        let replaced = try await fixture.sync(overwrite: true)
        #expect(replaced.outcome == .complete, "\(replaced.folders.compactMap(\.error))")
        #expect(fixture.uidlist().hasPrefix("3 V700000000 N4 M4\n"))
        // The identical message was given its UID, not copied twice; the other one stays, unnumbered.
        #expect(fixture.destinationFiles().count == 4)
        let verified = await fixture.verify()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(3))")
    }

    @Test func anEmptyDestinationFolderSimplyTakesTheSourceUIDValidity() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        try inbox(fixture, count: 2)
        try dovecotInbox(fixture, validity: 1_700_000_000, bodies: [])
        let report = try await fixture.sync()
        #expect(report.outcome == .complete, "\(report.folders.compactMap(\.error))")
        #expect(fixture.uidlist().hasPrefix("3 V700000000 N3 M3\n"))
    }

    @Test func aBatchStagedButNeverCommittedIsCopiedExactlyOnceByTheNextRun() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        try inbox(fixture, count: 2)
        #expect(try await fixture.sync().outcome == .complete)
        try inbox(fixture, count: 5)

        // Another process holds dovecot-uidlist.lock: the next batch is written to tmp/ and
        // journaled, but its commit never happens (as if the run were killed right there).
        // The holder is pid 1, which always runs: a lock naming this test's own pid is one the
        // sync (running in this process) rightly takes as left behind once it is 2 s old,
        // which under load made the lock vanish before the test removed it.
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let lock = fixture.destination + "/dovecot-uidlist.lock"
        #expect(FileManager.default.createFile(atPath: lock, contents: Data("1:\(hostName)".utf8)))
        let stuck = try await fixture.sync(destination: fixture.dovecotStore(lockTimeout: 0.3), maxAttempts: 1)
        #expect(stuck.outcome != .complete)
        #expect(fixture.uidlist().hasPrefix("3 V700000000 N3 M3\n"), "nothing may become visible without its commit")
        #expect(fixture.destinationFiles().count == 2)
        // A killed run also leaves its half-written file in tmp/: Dovecot ignores it, so does the next run.
        try fixture.write(fixture.destination + "/tmp/1795000000.M1P999Q1.host.mailferry", Array("partial".utf8))

        try FileManager.default.removeItem(atPath: lock)
        let resumed = try await fixture.sync()
        #expect(resumed.outcome == .complete, "\(resumed.folders.compactMap(\.error))")
        #expect(resumed.copied == 3)
        #expect(fixture.destinationFiles().count == 5)
        #expect(fixture.uidlist().hasPrefix("3 V700000000 N6 M6\n"))
        let verified = await fixture.verify()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(3))")
        #expect(try await fixture.sync().copied == 0)
    }

    @Test func aBatchRepeatedAfterItsCommitIsConfirmedWithoutASecondCopy() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        try inbox(fixture, count: 3)
        #expect(try await fixture.sync().outcome == .complete)
        // The state is lost (or the receipt never reached the journal): everything is sent again.
        try FileManager.default.removeItem(atPath: fixture.state)
        let again = try await fixture.sync()
        #expect(again.outcome == .complete)
        #expect(fixture.destinationFiles().count == 3)
        let verified = await fixture.verify()
        #expect(verified.isIdentical)
    }
}
