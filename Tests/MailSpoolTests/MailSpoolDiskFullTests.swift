import MailModel
import MailTestSupport
import Testing

@testable import MailSpool

/// The spool on a tmpfs of a few hundred KiB that really fills up. Recording a delivery must
/// not need more room than finishing the entry gives back, a full spool must drain by itself,
/// and new mail is refused only while there is no room.
@Suite(.enabled(if: SmallFileSystem.isAvailable, "needs root to mount a small tmpfs"))
struct MailSpoolDiskFullTests {
    static let large = String(repeating: String(repeating: "x", count: 78) + "\r\n", count: 1_500)  // 120 KB

    @Test func completionOnAFullDiskUsesTheReserveAndFreesTheSpace() throws {
        let disk = try SmallFileSystem(kilobytes: 512)
        let directory = try SpoolTestDirectory(under: disk.path, reserveSize: 64 << 10)
        _ = try directory.spool.recover(now: 1)
        let small = try directory.commit("Subject: small\r\n\r\nhi\r\n")
        let large = try directory.store(Self.large)
        disk.fill()
        // Larger than the slack left in the segment's last page: the disk is full, new mail gets 451.
        let refused = "Subject: refused\r\n\r\n" + String(repeating: "no room\r\n", count: 1_000)
        #expect { try directory.commit(refused) } throws: { ($0 as? SpoolError)?.isOutOfSpace == true }

        // finished.jsonl does not exist yet: its first line needs a page the disk does not have.
        try directory.spool.complete(SpoolTestDirectory.finished(small), at: 2)
        try directory.spool.complete(SpoolTestDirectory.finished(large), at: 3)
        #expect(try directory.spool.entries().isEmpty)
        #expect(try directory.spool.finishedRecords().map(\.id) == [small.id, large.id])
        // The large message's pages came back, the reserve took its share again, and there is
        // room for new mail.
        #expect(try directory.files("queue").isEmpty)
        let accepted = try directory.commit("Subject: accepted\r\n\r\nroom again\r\n")
        #expect(try directory.spool.entries().map(\.id) == [accepted.id])
        withExtendedLifetime(disk) {}
    }

    @Test func aJournalLineCutShortByAFullDiskIsCutOffAgain() throws {
        let disk = try SmallFileSystem(kilobytes: 256)
        // No reserve: the write fails for good, and the torn part must not stay behind.
        let directory = try SpoolTestDirectory(under: disk.path, reserveSize: 0)
        _ = try directory.spool.recover(now: 1)
        let first = try directory.store("Subject: one\r\n\r\n1\r\n")
        let second = try directory.store("Subject: two\r\n\r\n2\r\n")
        try directory.spool.complete(SpoolTestDirectory.finished(first), at: 2)
        disk.fill()
        // A line longer than the room left in finished.jsonl's last page: a short write.
        let long = SpoolTestDirectory.finished(second, reply: "250 " + String(repeating: "y", count: 6_000))
        #expect(throws: SpoolError.self) { try directory.spool.complete(long, at: 3) }
        #expect(try directory.spool.finishedRecords().map(\.id) == [first.id])
        disk.drain()
        try directory.spool.complete(long, at: 4)
        #expect(try directory.spool.finishedRecords().map(\.id) == [first.id, second.id])
        #expect(try directory.spool.entries().isEmpty)
        withExtendedLifetime(disk) {}
    }
}
