import Foundation
import Synchronization
import Testing

@testable import MailSpool

/// Small messages as segment records: the same spool operations as for messages in files of
/// their own (status, hold, release, quarantine, completion, discard), and a segment is
/// deleted only once every message in it is finished.
@Suite struct MailSpoolSegmentTests {
    @Test func smallMessagesBecomeRecordsAndLargeOnesFilesOfTheirOwn() throws {
        let directory = try SpoolTestDirectory()
        let body = "Subject: hi\r\n\r\nhello\r\n"
        let small = try directory.commit(body)
        let large = try directory.commit(String(repeating: "x", count: MailSpool.segmentThreshold) + "\r\n", at: 1_700_000_001)
        #expect(try directory.files("queue") == ["\(large.id).msg"], "a small message has no file of its own")
        #expect(try directory.spool.ids(in: .queue) == [small.id, large.id])
        #expect(try directory.files("tmp").isEmpty)
        let (entry, stored) = try directory.spool.message(small.id)
        #expect(Array(stored) == Array(body.utf8))
        #expect(entry.envelope == small.envelope && entry.bodyLength == body.utf8.count)
        #expect(try directory.spool.entries().map(\.id) == [small.id, large.id])
        #expect(try directory.spool.message(large.id).body.count == MailSpool.segmentThreshold + 2)
    }

    @Test func statusHoldReleaseAndCompletion() throws {
        let directory = try SpoolTestDirectory()
        let entry = try directory.commit("x\r\n")
        try directory.spool.appendStatus(entry.id, SpoolStatusRecord(at: 5, results: [.init(index: 0, state: .delivered, reply: "250 ok")], nextAttemptAt: 60))
        try directory.spool.hold(entry.id)
        #expect(try directory.files("hold") == ["\(entry.id).msg", "\(entry.id).status"], "a held message gets a file of its own")
        #expect(try directory.files("segments").count == 2, "the segment is still open: .log and .done")
        #expect(try directory.spool.entry(entry.id).held)
        try directory.spool.release(entry.id)
        var loaded = try directory.spool.entry(entry.id)
        #expect(!loaded.held && loaded.pendingRecipients == [1])
        try directory.spool.appendStatus(entry.id, SpoolStatusRecord(at: 6, results: [.init(index: 1, state: .failed, reply: "550 no")], nextAttemptAt: nil))
        loaded = try directory.spool.entry(entry.id)
        try directory.spool.complete(loaded, at: 7)
        #expect(try directory.files("queue").isEmpty)
        #expect(try directory.spool.finishedRecords().map(\.recipients).first?.map(\.state) == [.delivered, .failed])
        #expect(try directory.reopen().recover(now: 8).entries.isEmpty, "a finished record is not delivered again")
    }

    @Test func aDeferredMessageMovesToAFileOfItsOwnAndFreesItsSegment() throws {
        let directory = try SpoolTestDirectory()
        let spool = try MailSpool(directory: directory.path, segmentCapacity: 1000)
        let envelope = SpoolEnvelope(id: .make(unixTime: 1_700_000_000), receivedAt: 1, envelope: SpoolTestDirectory.envelope)
        let entry = try spool.commit(envelope, body: Array("deferred\r\n".utf8))
        try spool.appendStatus(entry.id, SpoolStatusRecord(at: 5, results: [.init(index: 0, state: .deferred, reply: "451 later")], nextAttemptAt: 60))
        try spool.moveOutOfSegment(entry.id)
        try spool.moveOutOfSegment(entry.id)  // once it has a file, nothing more to do
        spool.segments.rotate()
        #expect(try directory.files("segments").isEmpty, "nothing else was in it")
        #expect(try directory.files("queue") == ["\(entry.id).msg", "\(entry.id).status"])
        let loaded = try spool.message(entry.id)
        #expect(Array(loaded.body) == Array("deferred\r\n".utf8))
        #expect(loaded.entry.states == [.deferred, .pending] && loaded.entry.nextAttemptAt == 60)
        #expect(try directory.reopen().recover(now: 1).entries.map(\.id) == [entry.id])
    }

    @Test func quarantineKeepsTheMessageBytesAndDiscardDropsTheEntry() throws {
        let directory = try SpoolTestDirectory()
        let kept = try directory.commit("keep me\r\n")
        let dropped = try directory.commit("drop me\r\n", at: 1_700_000_001)
        try directory.spool.quarantine(kept.id, reason: "test")
        try directory.spool.discard(dropped.id)
        #expect(try directory.files("queue").isEmpty)
        #expect(try directory.files("corrupt") == ["\(kept.id).msg", "\(kept.id).reason"])
        let (_, body) = try SpoolFormat.parse(directory.read("corrupt", "\(kept.id).msg"))
        #expect(Array(body) == Array("keep me\r\n".utf8))
        #expect(try directory.reopen().recover(now: 1).entries.isEmpty, "neither comes back after a restart")
    }

    @Test func aSegmentIsDeletedOnlyWhenEveryMessageInItIsFinished() throws {
        let directory = try SpoolTestDirectory()
        let spool = try MailSpool(directory: directory.path, segmentCapacity: 2000)
        let envelope = SpoolTestDirectory.envelope
        let entries = try (0..<3).map { index in
            try spool.commit(SpoolEnvelope(id: .make(unixTime: 1_700_000_000 + Double(index)), receivedAt: 1, envelope: envelope),
                             body: Array("message \(index)\r\n".utf8))
        }
        spool.segments.rotate()
        let segment = try #require(try directory.files("segments").first { $0.hasSuffix(".log") })
        try spool.complete(try spool.entry(entries[0].id), at: 2)
        try spool.discard(entries[1].id)
        #expect(try directory.files("segments").contains(segment), "one message in it is still queued")
        #expect(try Array(spool.message(entries[2].id).body) == Array("message 2\r\n".utf8))
        try spool.quarantine(entries[2].id, reason: "test")
        #expect(try directory.files("segments").isEmpty)
    }

    @Test func manyConcurrentSessionsEachFindTheirOwnMessage() throws {
        let directory = try SpoolTestDirectory()
        let committed = DispatchGroup()
        let spool = directory.spool
        let entries = Mutex<[SpoolEntry]>([])
        for index in 0..<40 {
            committed.enter()
            Thread {
                let time = 1_700_000_000 + Double(index)
                let envelope = SpoolEnvelope(id: .make(unixTime: time), receivedAt: time, envelope: SpoolTestDirectory.envelope)
                if let entry = try? spool.commit(envelope, body: Array("Subject: \(index)\r\n\r\nbody \(index)\r\n".utf8)) {
                    entries.withLock { $0.append(entry) }
                }
                committed.leave()
            }.start()
        }
        #expect(committed.wait(timeout: .now() + 30) == .success)
        let all = entries.withLock { $0 }
        #expect(all.count == 40)
        for entry in all {
            let index = Int(entry.envelope.receivedAt - 1_700_000_000)
            let (stored, body) = try directory.spool.message(entry.id)
            #expect(String(decoding: body, as: UTF8.self) == "Subject: \(index)\r\n\r\nbody \(index)\r\n")
            #expect(stored.envelope == entry.envelope)
        }
    }
}
