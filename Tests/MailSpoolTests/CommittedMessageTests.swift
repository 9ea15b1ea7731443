import Foundation
import MailModel
import Testing

@testable import MailSpool

/// The relay's first attempt takes a message's entry and bytes from what its session
/// committed, as reading them back would give them, and reads them back as soon as the
/// entry has moved or changed on disk.
@Suite struct CommittedMessageTests {
    static func committed(_ directory: SpoolTestDirectory, _ text: String) throws -> CommittedMessage {
        let envelope = SpoolEnvelope(id: .make(unixTime: 1_700_000_000), receivedAt: 1_700_000_000, envelope: SpoolTestDirectory.envelope)
        let body = Array(text.utf8)
        let entry = try directory.spool.commit(envelope, body: body)
        return CommittedMessage(id: entry.id, bodyLength: entry.bodyLength, contents: (envelope, body))
    }

    @Test func givesWhatReadingItBackGives() throws {
        let directory = try SpoolTestDirectory()
        let committed = try Self.committed(directory, "Subject: caf\u{E9}\r\n\r\n8-bit body\r\n")
        let taken = try directory.spool.message(committed.id, committed: committed)
        let read = try directory.spool.message(committed.id)
        #expect(taken.entry == read.entry)
        #expect(taken.body == read.body)
        #expect(taken.entry.contains8Bit)
    }

    /// Its bytes are the committed ones, not read again: a record damaged on disk afterwards
    /// is refused by a read but not by the first attempt (which sends what was made durable).
    @Test func readsNothingBackWhileTheRecordIsWhereItWasCommitted() throws {
        let directory = try SpoolTestDirectory()
        let committed = try Self.committed(directory, "Subject: x\r\n\r\nmarker-body\r\n")
        let log = try #require(try directory.files("segments").first { $0.hasSuffix(".log") })
        var bytes = directory.read("segments", log)
        let marker = Array("marker-body".utf8)
        let at = try #require(bytes.indices.first { bytes[$0...].starts(with: marker) })
        bytes[at] = UInt8(ascii: "M")
        directory.write("segments", log, bytes)
        #expect(throws: SpoolError.self) { try directory.spool.message(committed.id) }
        #expect(try directory.spool.message(committed.id, committed: committed).body == committed.contents?.body[...])
    }

    @Test func appliesTheStatusJournal() throws {
        let directory = try SpoolTestDirectory()
        let committed = try Self.committed(directory, "x\r\n")
        try directory.spool.appendStatus(committed.id, SpoolStatusRecord(at: 5, results: [.init(index: 0, state: .delivered, reply: "250 ok")], nextAttemptAt: 60))
        let taken = try directory.spool.message(committed.id, committed: committed).entry
        #expect(taken == (try directory.spool.entry(committed.id)))
        #expect(taken.pendingRecipients == [1] && taken.attempts == 1)
    }

    /// Held meanwhile (`mirror queue hold` in another process moves it to a file of its own):
    /// read from there, so the hold is seen.
    @Test func aHeldEntryIsReadFromItsFile() throws {
        let directory = try SpoolTestDirectory()
        let committed = try Self.committed(directory, "x\r\n")
        try directory.reopen().hold(committed.id)
        #expect(try directory.spool.message(committed.id, committed: committed).entry.held)
    }

    @Test func aDeferredEntryIsReadFromItsOwnFile() throws {
        let directory = try SpoolTestDirectory()
        let committed = try Self.committed(directory, "x\r\n")
        try directory.spool.moveOutOfSegment(committed.id)
        #expect(try directory.spool.message(committed.id, committed: committed) == (try directory.spool.message(committed.id)))
    }

    @Test func aFinishedEntryIsNotFound() throws {
        let directory = try SpoolTestDirectory()
        let committed = try Self.committed(directory, "x\r\n")
        try directory.spool.discard(committed.id)
        #expect(throws: SpoolError.self) { try directory.spool.message(committed.id, committed: committed) }
    }

    /// Bytes from another entry are never taken for this one.
    @Test func anotherEntrysBytesAreNotUsed() throws {
        let directory = try SpoolTestDirectory()
        let first = try Self.committed(directory, "first\r\n")
        let second = try Self.committed(directory, "second\r\n")
        let mixed = CommittedMessage(id: first.id, bodyLength: 8, contents: second.contents)
        #expect(try directory.spool.message(first.id, committed: mixed).body == Array("first\r\n".utf8)[...])
    }
}
