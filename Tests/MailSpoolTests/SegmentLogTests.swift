import Foundation
import Synchronization
import Testing

@testable import MailSpool

/// Group commit of segment records: callers share fdatasyncs, yet none returns before an
/// fdatasync that started after its record was written has completed, and a failed
/// fdatasync fails every caller it would have covered.
@Suite struct SegmentLogTests {
    /// Each fdatasync with the segment's size when it started (what it covers) and its end.
    final class Recorder: Sendable {
        struct Sync { var path: String; var coveredSize: Int; var start: Int; var end: Int; var failed: Bool }
        let state = Mutex<(clock: Int, syncs: [Sync])>((0, []))
        /// Numbers (1-based) of the fdatasyncs that fail.
        let failing: Set<Int>
        /// Callers that must be queued behind the first fdatasync before it goes ahead.
        let waitFor: Int
        let queued = WaitingCallers()

        init(failing: Set<Int> = [], waitFor: Int = 0) {
            self.failing = failing
            self.waitFor = waitFor
        }

        func tick() -> Int { state.withLock { $0.clock += 1; return $0.clock } }

        func sync(_ fd: Int32, _ path: String) throws {
            var info = stat()
            fstat(fd, &info)
            let start = tick()
            // The first fdatasync lasts until every other caller has written and queued
            // behind it, as sessions do behind a real one.
            if waitFor > 0, state.withLock({ $0.syncs.isEmpty }) {
                #expect(queued.waitUntilQueued(waitFor - 1), "the other callers queued behind the first fdatasync")
            }
            let number = state.withLock { $0.syncs.count + 1 }
            let fails = failing.contains(number)
            let end = tick()
            state.withLock { $0.syncs.append(Sync(path: path, coveredSize: Int(info.st_size), start: start, end: end, failed: fails)) }
            if fails { throw SpoolError(.io, "fdatasync \(path): Input/output error") }
        }
    }

    struct Call { var index: Int; var location: SegmentLocation?; var called: Int; var returned: Int }

    static func appendConcurrently(_ log: SegmentLog, recorder: Recorder, callers: Int) -> [Call] {
        let calls = Mutex<[Call]>([])
        let done = DispatchGroup()
        for index in 0..<callers {
            done.enter()
            Thread {
                let id = QueueID.make(unixTime: 1_700_000_000 + Double(index))
                let called = recorder.tick()
                let location = try? log.append(SegmentRecord.encode(Array("message \(index)\r\n".utf8)), id: id)
                let returned = recorder.tick()
                calls.withLock { $0.append(Call(index: index, location: location, called: called, returned: returned)) }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 30) == .success)
        return calls.withLock { $0 }
    }

    @Test func concurrentCallersShareFdatasyncsAndEachIsCoveredByOneThatStartedAfterItsWrite() throws {
        let directory = try SpoolTestDirectory()
        let callers = 16
        let recorder = Recorder(waitFor: callers)
        let log = SegmentLog(directory: directory.path + "/segments", ledger: SegmentLedger(), syncFile: recorder.sync,
                             waitingChanged: recorder.queued.observer)
        let calls = Self.appendConcurrently(log, recorder: recorder, callers: callers)
        let syncs = recorder.state.withLock { $0.syncs }
        #expect(calls.count == callers && calls.allSatisfy { $0.location != nil })
        // One fdatasync for the first caller, one for everyone who queued behind it.
        #expect(syncs.count == 2, "\(syncs.count) fdatasyncs for \(callers) concurrent callers")
        for call in calls {
            guard let location = call.location else { continue }
            // Covered: an fdatasync of its segment that saw the whole record in the file when
            // it started, and that completed before the caller returned.
            #expect(syncs.contains { $0.path.hasSuffix("\(location.segment).log") && $0.coveredSize >= location.offset + location.length && $0.end < call.returned },
                    "a caller returned without an fdatasync that started after its write")
        }
    }

    /// Where each caller's record ended up, found by its payload (failed callers get no location).
    static func recordEnds(in directory: String) throws -> [String: (path: String, end: Int)] {
        var ends: [String: (path: String, end: Int)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".log") {
            let bytes = Array(FileManager.default.contents(atPath: "\(directory)/\(name)") ?? Data())
            for record in SegmentRecord.scan(bytes).records {
                let payload = String(decoding: SegmentRecord.decode(bytes, at: record.offset)!, as: UTF8.self)
                ends[payload] = ("\(directory)/\(name)", record.offset + record.length)
            }
        }
        return ends
    }

    @Test func aFailedFdatasyncFailsEveryCallerItCoveredAndSealsItsSegment() throws {
        let directory = try SpoolTestDirectory()
        let callers = 12
        // The first fdatasync (one caller's record) succeeds; the second, covering everyone
        // who wrote while the first ran, fails.
        let recorder = Recorder(failing: [2], waitFor: callers)
        let log = SegmentLog(directory: directory.path + "/segments", ledger: SegmentLedger(), syncFile: recorder.sync,
                             waitingChanged: recorder.queued.observer)
        let calls = Self.appendConcurrently(log, recorder: recorder, callers: callers)
        let syncs = recorder.state.withLock { $0.syncs }.sorted { $0.start < $1.start }
        let ends = try Self.recordEnds(in: directory.path + "/segments")
        let failed = try #require(syncs.first { $0.failed })
        for call in calls {
            let (path, end) = try #require(ends["message \(call.index)\r\n"])
            // The first fdatasync that saw the whole record when it started is the one that
            // covers it (the ticket): if that one failed, so must the caller.
            let first = syncs.first { $0.path == path && $0.coveredSize >= end }
            if call.location != nil {
                #expect(first?.failed == false && first!.end < call.returned, "caller \(call.index) succeeded without a successful fdatasync")
            } else {
                #expect(syncs.contains { $0.failed && $0.path == path && $0.coveredSize >= end }, "caller \(call.index) failed without cause")
            }
            if first?.failed == true { #expect(call.location == nil, "caller \(call.index) was covered by the failed fdatasync") }
        }
        let failures = calls.filter { $0.location == nil }.count
        #expect(failures == callers - 1, "the failed fdatasync covered everyone queued behind the first")
        // The failed segment is sealed: the next record starts a new one, and the abandoned
        // records are listed as done, so recovery never delivers them.
        let after = try log.append(SegmentRecord.encode(Array("after\r\n".utf8)), id: .make(unixTime: 1_800_000_000))
        #expect(!failed.path.hasSuffix("\(after.segment).log"))
        let failedSegment = try #require(QueueID(String(failed.path.split(separator: "/").last!.dropLast(4))))
        #expect(try log.doneIDs(failedSegment).count == failures)
    }

    @Test func aLaterCallerIsNeverPassedByAFailure() throws {
        let directory = try SpoolTestDirectory()
        let recorder = Recorder(failing: [1])
        let log = SegmentLog(directory: directory.path + "/segments", ledger: SegmentLedger(), syncFile: recorder.sync)
        #expect(throws: SpoolError.self) { try log.append(SegmentRecord.encode([65]), id: .make(unixTime: 1)) }
        let second = try log.append(SegmentRecord.encode([66]), id: .make(unixTime: 2))
        #expect(second.offset == 0, "the failed segment was sealed; a new one was started")
        #expect(recorder.state.withLock { $0.syncs.count } == 2)
    }

    /// A full disk in the middle of a record: the caller fails (the session answers 451), the
    /// half-written record is a torn tail that recovery drops, and the next record goes to a
    /// new segment, so nothing is ever written after the torn bytes.
    @Test func aWriteThatFailsHalfwayFailsItsCallerAndLeavesATornTail() throws {
        let directory = try SpoolTestDirectory()
        let failNext = Mutex(false)
        let log = SegmentLog(directory: directory.path + "/segments", ledger: SegmentLedger(), writeFile: { fd, bytes, path in
            guard failNext.withLock({ let fail = $0; $0 = false; return fail }) else { return try SpoolFile.writeAll(fd, bytes, path: path) }
            try SpoolFile.writeAll(fd, Array(bytes.prefix(bytes.count / 2)), path: path)
            throw SpoolError(.io, "write \(path): No space left on device")
        })
        let payload = { (text: String, time: Double) in
            try SpoolFormat.file(SpoolEnvelope(id: .make(unixTime: time), receivedAt: time, envelope: SpoolTestDirectory.envelope), body: Array(text.utf8))
        }
        let first = try log.append(SegmentRecord.encode(try payload("first\r\n", 1)), id: .make(unixTime: 1))
        failNext.withLock { $0 = true }
        #expect(throws: SpoolError.self) { try log.append(SegmentRecord.encode(try payload("torn\r\n", 2)), id: .make(unixTime: 2)) }
        let third = try log.append(SegmentRecord.encode(try payload("third\r\n", 3)), id: .make(unixTime: 3))
        #expect(third.segment != first.segment && third.offset == 0)
        let contents = try SegmentContents(first.segment, log: log)
        #expect(contents.records.count == 1 && contents.damaged.count == 1 && contents.isTail(contents.damaged[0]))
        let recovery = try directory.reopen().recover(now: 1)
        #expect(recovery.entries.count == 2 && recovery.tornRecords == 1)
    }

    @Test func segmentsAreSealedAtCapacityAndDeletedOnlyWhenAllTheirRecordsAreFinished() throws {
        let directory = try SpoolTestDirectory()
        let log = SegmentLog(directory: directory.path + "/segments", capacity: 1000, ledger: SegmentLedger())
        var written: [(QueueID, SegmentLocation)] = []
        for index in 0..<6 {
            let id = QueueID.make(unixTime: 1_700_000_000 + Double(index))
            written.append((id, try log.append(SegmentRecord.encode(Array(repeating: 0x61, count: 300)), id: id)))
        }
        let segments = Set(written.map(\.1.segment))
        #expect(segments.count == 3, "two 390-octet records per 1,000-octet segment")
        let first = written[0].1.segment
        try log.finish(written[0].0, in: first)
        try log.finish(written[0].0, in: first)  // finishing twice must not count twice
        #expect(FileManager.default.fileExists(atPath: log.logPath(first)))
        try log.finish(written[1].0, in: first)
        #expect(!FileManager.default.fileExists(atPath: log.logPath(first)))
        #expect(!FileManager.default.fileExists(atPath: log.donePath(first)))
        // The open segment stays while records may still be appended, even when all are done.
        let last = written[5].1.segment
        try log.finish(written[4].0, in: last)
        try log.finish(written[5].0, in: last)
        #expect(FileManager.default.fileExists(atPath: log.logPath(last)))
        log.rotate()
        #expect(!FileManager.default.fileExists(atPath: log.logPath(last)))
        #expect(FileManager.default.fileExists(atPath: log.logPath(written[2].1.segment)))
    }
}
