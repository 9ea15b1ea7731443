import MailModel
import MailSpool
import Testing

@Suite struct MailSpoolTests {
    @Test func commitMakesTheEntryDurableAndReadable() throws {
        let directory = try SpoolTestDirectory()
        let entry = try directory.store("Subject: hi\r\n\r\nbody ü\r\n")
        #expect(try directory.files("tmp").isEmpty)
        #expect(try directory.files("queue") == ["\(entry.id).msg"])
        let (loaded, body) = try directory.spool.message(entry.id)
        #expect(String(decoding: body, as: UTF8.self) == "Subject: hi\r\n\r\nbody ü\r\n")
        #expect(loaded.states == [.pending, .pending])
        #expect(loaded.contains8Bit && entry.contains8Bit)
        #expect(loaded.envelope.mailEnvelope == SpoolTestDirectory.envelope)
    }

    @Test func abortAndDroppedWritersLeaveNothing() throws {
        let directory = try SpoolTestDirectory()
        let writer = try directory.spool.makeWriter(SpoolEnvelope(id: .make(unixTime: 1), receivedAt: 1, envelope: SpoolTestDirectory.envelope))
        try writer.write(Array("partial".utf8))
        #expect(try directory.files("tmp").count == 1)
        writer.abort()
        #expect(try directory.files("tmp").isEmpty)
        do {
            let dropped = try directory.spool.makeWriter(SpoolEnvelope(id: .make(unixTime: 2), receivedAt: 2, envelope: SpoolTestDirectory.envelope))
            try dropped.write(Array("x".utf8))
        }
        #expect(try directory.files("tmp").isEmpty)
        #expect(try directory.spool.entries().isEmpty)
    }

    @Test func statusJournalFinalStatesNeverRevert() throws {
        let directory = try SpoolTestDirectory()
        let entry = try directory.store("x\r\n")
        try directory.spool.appendStatus(entry.id, SpoolStatusRecord(at: 10, results: [
            .init(index: 0, state: .delivered, reply: "250 ok"), .init(index: 1, state: .deferred, reply: "451 later"),
        ], nextAttemptAt: 70))
        try directory.spool.appendStatus(entry.id, SpoolStatusRecord(at: 70, results: [
            .init(index: 0, state: .deferred, reply: "451 again?"), .init(index: 1, state: .failed, reply: "550 5.1.1 unknown"),
        ], nextAttemptAt: nil))
        let loaded = try directory.spool.entry(entry.id)
        #expect(loaded.states == [.delivered, .failed])
        #expect(loaded.lastReplies == ["250 ok", "550 5.1.1 unknown"])
        #expect(loaded.attempts == 2 && loaded.isFinished)
    }

    @Test func completeLogsAndDeletes() throws {
        let directory = try SpoolTestDirectory()
        var entry = try directory.store("x\r\n")
        try directory.spool.appendStatus(entry.id, SpoolStatusRecord(at: 5, results: [
            .init(index: 0, state: .delivered, reply: "250 ok"), .init(index: 1, state: .failed, reply: "550 no"),
        ], nextAttemptAt: nil))
        entry = try directory.spool.entry(entry.id)
        try directory.spool.complete(entry, at: 6)
        #expect(try directory.files("queue").isEmpty)
        let records = try directory.spool.finishedRecords()
        #expect(records.count == 1)
        #expect(records[0].recipients.map(\.state) == [.delivered, .failed])
        #expect(records[0].recipients[1].reply == "550 no")
        #expect(records[0].recipients[1].address == "carol@example.com")
    }

    @Test func holdAndRelease() throws {
        let directory = try SpoolTestDirectory()
        let entry = try directory.store("x\r\n")
        try directory.spool.hold(entry.id)
        #expect(try directory.spool.entry(entry.id).held)
        #expect(try directory.spool.ids(in: .queue).isEmpty)
        try directory.spool.release(entry.id)
        #expect(try !directory.spool.entry(entry.id).held)
    }

    @Test func queueIDsAreSafeFileNames() {
        let id = QueueID.make(unixTime: 1_700_000_000.5)
        #expect(QueueID(id.rawValue) == id)
        #expect(QueueID("../../etc/passwd") == nil)
        #expect(QueueID("0000000000000A-0000000G") == nil)
        #expect(QueueID.make(unixTime: 1) < QueueID.make(unixTime: 2))
    }
}
