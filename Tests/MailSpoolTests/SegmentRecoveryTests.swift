import Foundation
import MailTestSupport
import Synchronization
import Testing

@testable import MailSpool

/// Recovery of segment records after a crash, with the spool reopened as a new process would:
/// every record an fdatasync covered comes back, a torn tail is dropped, a damaged record is
/// quarantined, a finished record never comes back.
@Suite struct SegmentRecoveryTests {
    func segmentPath(_ directory: SpoolTestDirectory) throws -> String {
        let name = try #require(try directory.files("segments").first { $0.hasSuffix(".log") })
        return "\(directory.path)/segments/\(name)"
    }

    @Test func everyCommittedRecordIsFoundAgainAndAHeldOneStaysHeld() throws {
        let directory = try SpoolTestDirectory()
        let entries = try (0..<5).map { try directory.commit("message \($0)\r\n", at: 1_700_000_000 + Double($0)) }
        try directory.spool.hold(entries[4].id)
        // Another process (`mirror queue`) sees the same queue without running recovery.
        let reader = try directory.reopen()
        #expect(try reader.ids(in: .queue) == entries.prefix(4).map(\.id))
        #expect(try reader.entries().map(\.held) == [false, false, false, false, true])
        let recovery = try directory.reopen().recover(now: 1)
        #expect(recovery.entries.map(\.id) == entries.prefix(4).map(\.id))
        #expect(recovery.held.map(\.id) == [entries[4].id])
        #expect(recovery.quarantined.isEmpty && recovery.tornRecords == 0)
        for entry in entries {
            #expect(try String(decoding: directory.reopen().message(entry.id).body, as: UTF8.self) == "message \(Int(entry.envelope.receivedAt - 1_700_000_000))\r\n")
        }
    }

    /// A deferred message moves out of its segment into a file of its own; a crash after the
    /// file is durable but before the record is listed as done leaves both: the file wins,
    /// and the message is delivered once.
    @Test func aCrashWhileARecordMovesToItsOwnFileDeliversItOnce() throws {
        let directory = try SpoolTestDirectory()
        let moved = try directory.commit("deferred\r\n")
        let other = try directory.commit("other\r\n", at: 1_700_000_001)
        let record = try #require(directory.spool.segments.ledger.location(of: moved.id))
        // The file of its own, written as moveOutOfSegment does, without the .done line.
        directory.write("queue", "\(moved.id).msg", try directory.spool.segments.read(record))
        let spool = try directory.reopen()
        let recovery = try spool.recover(now: 1)
        #expect(recovery.entries.map(\.id) == [moved.id, other.id])
        #expect(try spool.ids(in: .queue) == [moved.id, other.id])
        try spool.complete(try spool.entry(moved.id), at: 2)
        try spool.discard(other.id)
        #expect(try directory.reopen().recover(now: 3).entries.isEmpty, "neither comes back")
        #expect(try directory.files("segments").isEmpty)
    }

    @Test func aTornTailWasNeverAcknowledgedAndIsDropped() throws {
        let directory = try SpoolTestDirectory()
        let kept = try (0..<2).map { try directory.commit("kept \($0)\r\n", at: 1_700_000_000 + Double($0)) }
        // A crash while a third record was written, before any fdatasync covered it.
        let envelope = SpoolEnvelope(id: .make(unixTime: 1_700_000_009), receivedAt: 9, envelope: SpoolTestDirectory.envelope)
        let record = SegmentRecord.encode(try SpoolFormat.file(envelope, body: Array("torn\r\n".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: try segmentPath(directory)))
        handle.seekToEndOfFile()
        handle.write(Data(record.dropLast(7)))
        handle.closeFile()
        let recovery = try directory.reopen().recover(now: 1)
        #expect(recovery.entries.map(\.id) == kept.map(\.id))
        #expect(recovery.tornRecords == 1 && recovery.quarantined.isEmpty)
        #expect(try directory.files("corrupt").isEmpty)
    }

    @Test func aDamagedRecordIsQuarantinedAndTheOnesAfterItAreKept() throws {
        let directory = try SpoolTestDirectory()
        let entries = try (0..<3).map { try directory.commit("message \($0)\r\n", at: 1_700_000_000 + Double($0)) }
        let path = try segmentPath(directory)
        var bytes = Array(FileManager.default.contents(atPath: path)!)
        let location = try #require(directory.spool.segments.ledger.location(of: entries[1].id))
        bytes[location.offset + location.length - 3] ^= 0x01
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let spool = try directory.reopen()
        let recovery = try spool.recover(now: 1)
        #expect(recovery.entries.map(\.id) == [entries[0].id, entries[2].id])
        // Its ID is in the damaged bytes, so it is reported as a damaged stretch, kept for the
        // operator, never delivered.
        #expect(recovery.quarantinedRecords == 1 && recovery.tornRecords == 0)
        #expect(try directory.files("corrupt").filter { $0.hasSuffix(".damaged") }.count == 1)
        // Quarantine is permanent, and the segment stays for the two that are still queued.
        #expect(try directory.reopen().recover(now: 2).entries.map(\.id) == [entries[0].id, entries[2].id])
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func aRecordListedAsDoneNeverComesBack() throws {
        let directory = try SpoolTestDirectory()
        let done = try directory.commit("done\r\n")
        let queued = try directory.commit("queued\r\n", at: 1_700_000_001)
        // A crash after the record was listed as done, before its reference was removed.
        let segment = try #require(directory.spool.segments.ledger.location(of: done.id)).segment
        try SpoolFile.appendLines("\(directory.path)/segments/\(segment).done", Array("\(done.id)\n".utf8))
        let recovery = try directory.reopen().recover(now: 1)
        #expect(recovery.entries.map(\.id) == [queued.id])
        #expect(try directory.reopen().ids(in: .queue) == [queued.id])
    }

    @Test func segmentsWithNothingLeftAreDeletedAtRecovery() throws {
        let directory = try SpoolTestDirectory()
        // The first process commits two messages and dies.
        let entries = try (0..<2).map { try directory.commit("m\($0)\r\n", at: 1_700_000_000 + Double($0)) }
        let second = try directory.reopen()
        _ = try second.recover(now: 1)
        try second.discard(entries[0].id)
        #expect(try directory.files("segments").count == 2, "adopted by recovery; one message left in it (.log and .done)")
        try second.discard(entries[1].id)
        #expect(try directory.files("segments").isEmpty, "deleted when its last message finished")
        // A segment still open when its process died, with everything in it finished.
        let third = try directory.reopen()
        let left = try third.commit(SpoolEnvelope(id: .make(unixTime: 2), receivedAt: 2, envelope: SpoolTestDirectory.envelope), body: [65])
        try third.discard(left.id)
        #expect(try directory.files("segments").count == 2, "open in the third process")
        #expect(try directory.reopen().recover(now: 2).removedSegments == 1)
        #expect(try directory.files("segments").isEmpty)
    }

    /// kill -9 between a record's write and its fdatasync: the sender got no 250 yet. The
    /// record is in the page cache, so the next start finds it and delivers it (the sender may
    /// send it again: a duplicate, never a loss), as RFC 5321 §6.1 allows.
    @Test func aCrashBetweenWriteAndFdatasyncLosesNothing() throws {
        let directory = try SpoolTestDirectory()
        let writing = DispatchSemaphore(value: 0)
        let crash = DispatchSemaphore(value: 0)
        let spool = try MailSpool(directory: directory.path, segmentCapacity: 1 << 20) { _, _ in
            writing.signal()
            _ = crash.wait(timeout: .now() + 30)  // the "crashed" process never gets further
        }
        let acknowledged = Mutex<SpoolEntry?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let entry = try? spool.commit(SpoolEnvelope(id: .make(unixTime: 5), receivedAt: 5, envelope: SpoolTestDirectory.envelope),
                                          body: Array("in flight\r\n".utf8))
            acknowledged.withLock { $0 = entry }
            done.signal()
        }.start()
        #expect(writing.wait(timeout: .now() + 30) == .success)
        #expect(acknowledged.withLock { $0 } == nil, "not acknowledged before its fdatasync")
        let recovery = try directory.reopen().recover(now: 1)
        #expect(recovery.entries.count == 1 && recovery.tornRecords == 0)
        crash.signal()
        #expect(done.wait(timeout: .now() + 30) == .success)
    }

    /// A second mirror on the same spool would adopt the first one's open segment and could
    /// delete it under its feet: recovery refuses while another process owns the spool.
    @Test func onlyOneProcessOwnsASpool() async throws {
        let directory = try SpoolTestDirectory()
        _ = try directory.commit("x\r\n")
        let other = Process()
        // The shell takes the lock on fd 9, says so on its stdout, then becomes `sleep`:
        // killing it frees the lock.
        other.executableURL = URL(fileURLWithPath: "/bin/bash")
        other.arguments = ["-c", "exec 9>>\"$0\" && flock -n 9 && echo held && exec sleep 30", directory.path + "/lock"]
        let said = Pipe()
        other.standardOutput = said
        try other.run()
        // SIGKILL: SIGTERM may be blocked in a child spawned by the test runner.
        let release = {
            if other.isRunning { kill(other.processIdentifier, SIGKILL) }
            try await other.exited()
        }
        do {
            // Until the line or end of file (flock -n never waits, so the shell either says
            // it holds the lock or exits), read on a test-client thread.
            let line = String(decoding: try await LineSocket.blocking { said.fileHandleForReading.readData(ofLength: 5) }, as: UTF8.self)
            try #require(line == "held\n", "the other process took the lock")
            #expect(throws: SpoolError.self) { try directory.reopen().recover(now: 1) }
            #expect(try directory.reopen().entries().count == 1, "reading is still allowed")
        } catch {
            try await release()
            throw error
        }
        try await release()
        #expect(try directory.reopen().recover(now: 2).entries.count == 1)
    }

    /// Power failure: only what an fdatasync covered is on the disk. Each fdatasync copies
    /// the segment, as it is then, to a disk image; sessions commit concurrently; then the
    /// image (segments only; no `.done` file was ever fsynced) is recovered. Every
    /// acknowledged message is there.
    @Test func nothingAcknowledgedIsMissingAfterAPowerFailure() throws {
        let directory = try SpoolTestDirectory()
        let image = directory.path + "-image"
        defer { try? FileManager.default.removeItem(atPath: image) }
        try FileManager.default.createDirectory(atPath: image + "/segments", withIntermediateDirectories: true)
        let spool = try MailSpool(directory: directory.path, segmentCapacity: 64 * 1024) { _, path in
            let name = path.split(separator: "/").last!
            try FileManager.default.contents(atPath: path)?.write(to: URL(fileURLWithPath: "\(image)/segments/\(name)"))
        }
        let acknowledged = Mutex<[QueueID]>([])
        let done = DispatchGroup()
        for session in 0..<10 {
            done.enter()
            Thread {
                for index in 0..<30 {
                    let time = 1_700_000_000 + Double(session * 100 + index)
                    let envelope = SpoolEnvelope(id: .make(unixTime: time), receivedAt: time, envelope: SpoolTestDirectory.envelope)
                    if let entry = try? spool.commit(envelope, body: Array(repeating: 0x61, count: 3000)) {
                        acknowledged.withLock { $0.append(entry.id) }
                    }
                }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        let recovered = try MailSpool(directory: image).recover(now: 1)
        let ids = Set(recovered.entries.map(\.id))
        let expected = acknowledged.withLock { $0 }
        #expect(expected.count == 300)
        #expect(expected.filter { !ids.contains($0) }.isEmpty, "acknowledged but lost")
        #expect(recovered.quarantined.isEmpty)
    }
}
