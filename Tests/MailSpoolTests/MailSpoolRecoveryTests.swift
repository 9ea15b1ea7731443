import MailModel
import Testing

@testable import MailSpool

/// Crash safety: torn and damaged entries written by hand, as a crash or a bad disk would
/// leave them. Recovery must return every committed entry, never a torn one, and never one
/// that was already finished.
@Suite struct MailSpoolRecoveryTests {
    @Test func temporaryFilesWereNeverAcknowledgedAndAreRemoved() throws {
        let directory = try SpoolTestDirectory()
        let kept = try directory.store("kept\r\n")
        directory.write("tmp", "0000000000000A-0000000B.msg", Array("MAILFERRY-SPOOL/1\n{\"half".utf8))
        let recovery = try directory.spool.recover(now: 100)
        #expect(recovery.removedTemporary == 1)
        #expect(recovery.entries.map(\.id) == [kept.id])
        #expect(try directory.files("tmp").isEmpty)
    }

    /// A kill -9 after an entry's `finished.jsonl` line was written and before the entry was
    /// deleted: recovery finishes it instead of handing it out for a second delivery.
    @Test func anEntryAlreadyLoggedAsFinishedIsNotDeliveredAgain() throws {
        let directory = try SpoolTestDirectory()
        let small = try directory.commit("Subject: small\r\n\r\nsegment record\r\n")
        let large = try directory.store("Subject: large\r\n\r\nown file\r\n")
        let waiting = try directory.store("Subject: waiting\r\n\r\nnot finished\r\n")
        for entry in [small, large] {
            let line = try FinishedRecord(entry: SpoolTestDirectory.finished(entry), finishedAt: 5).jsonLine()
            try SpoolFile.appendLines(directory.spool.finishedLogPath, line)
        }
        let recovery = try directory.reopen().recover(now: 10)
        #expect(recovery.entries.map(\.id) == [waiting.id])
        #expect(Set(recovery.completed) == [small.id, large.id])
        #expect(try directory.reopen().entries().map(\.id) == [waiting.id])
        #expect(try directory.spool.finishedRecords().map(\.id) == [small.id, large.id], "logged once")
    }

    static func tornVariants(of bytes: [UInt8]) -> [(String, [UInt8])] {
        var flipped = bytes
        flipped[bytes.count - 100] ^= 0x20
        var badLength = bytes
        badLength[bytes.count - 70] = UInt8(ascii: "9")
        return [
            ("no trailer", Array(bytes.dropLast(91))),
            ("half a trailer", Array(bytes.dropLast(40))),
            ("one byte short", Array(bytes.dropLast())),
            ("body byte flipped", flipped),
            ("trailer length wrong", badLength),
            ("header only", Array(bytes.prefix(30))),
            ("empty file", []),
            ("garbage envelope", Array("MAILFERRY-SPOOL/1\n{not json}\nbody".utf8) + Array(bytes.suffix(91))),
        ]
    }

    @Test func tornOrDamagedEntriesAreQuarantinedNeverDelivered() throws {
        let directory = try SpoolTestDirectory()
        let good = try directory.store(String(repeating: "line of body\r\n", count: 20))
        let original = directory.read("queue", "\(good.id).msg")
        var tornIDs: [QueueID] = []
        for (index, (_, bytes)) in Self.tornVariants(of: original).enumerated() {
            let id = QueueID.make(unixTime: Double(1_800_000_000 + index))
            // The envelope inside names the original ID; a torn copy must not be confused with it.
            directory.write("queue", "\(id).msg", bytes)
            tornIDs.append(id)
        }
        let recovery = try directory.spool.recover(now: 100)
        #expect(recovery.entries.map(\.id) == [good.id])
        #expect(Set(recovery.quarantined.keys) == Set(tornIDs))
        #expect(try directory.files("queue") == ["\(good.id).msg"])
        #expect(try directory.files("corrupt").filter { $0.hasSuffix(".reason") }.count == tornIDs.count)
        // A second start finds the same queue: quarantine is permanent.
        #expect(try directory.spool.recover(now: 200).entries.map(\.id) == [good.id])
    }

    @Test func finishedButNotDeletedIsCompletedNotResent() throws {
        let directory = try SpoolTestDirectory()
        let entry = try directory.store("x\r\n")
        try directory.spool.appendStatus(entry.id, SpoolStatusRecord(at: 5, results: [
            .init(index: 0, state: .delivered, reply: "250 ok"), .init(index: 1, state: .delivered, reply: "250 ok"),
        ], nextAttemptAt: nil))
        let recovery = try directory.spool.recover(now: 10)
        #expect(recovery.entries.isEmpty)
        #expect(recovery.completed == [entry.id])
        #expect(try directory.spool.finishedRecords().count == 1)
    }

    @Test func partlyDeliveredEntryResumesWithTheRest() throws {
        let directory = try SpoolTestDirectory()
        let entry = try directory.store("x\r\n")
        try directory.spool.appendStatus(entry.id, SpoolStatusRecord(at: 5, results: [
            .init(index: 0, state: .delivered, reply: "250 ok"), .init(index: 1, state: .deferred, reply: "451 later"),
        ], nextAttemptAt: 65))
        // A torn journal line from a crash mid-append.
        let statusPath = "queue/\(entry.id).status"
        let existing = directory.read("queue", "\(entry.id).status")
        directory.write("queue", "\(entry.id).status", existing + Array("{\"at\":6,\"results\":[{\"index\":1,\"sta".utf8))
        _ = statusPath
        let recovery = try directory.spool.recover(now: 10)
        #expect(recovery.entries.count == 1)
        #expect(recovery.entries[0].pendingRecipients == [1])
        #expect(recovery.entries[0].nextAttemptAt == 65)
    }

    @Test func orphanJournalIsRemoved() throws {
        let directory = try SpoolTestDirectory()
        directory.write("queue", "0000000000000A-0000000B.status", Array("{}\n".utf8))
        let recovery = try directory.spool.recover(now: 1)
        #expect(recovery.removedOrphans == 1)
        #expect(try directory.files("queue").isEmpty)
    }

    @Test func heldEntriesAreReportedSeparately() throws {
        let directory = try SpoolTestDirectory()
        let entry = try directory.store("x\r\n")
        try directory.spool.hold(entry.id)
        let recovery = try directory.spool.recover(now: 1)
        #expect(recovery.entries.isEmpty && recovery.held.map(\.id) == [entry.id])
    }
}
