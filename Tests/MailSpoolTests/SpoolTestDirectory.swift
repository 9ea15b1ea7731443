import Testing
import Foundation
import MailModel
import MailSpool

/// A fresh spool in a temporary directory, removed at the end of the test.
final class SpoolTestDirectory {
    let path: String
    let spool: MailSpool

    /// A spool in the temporary directory, or under `parent` (a small file system).
    init(under parent: String = NSTemporaryDirectory(), reserveSize: Int = 1 << 20) throws {
        path = parent + (parent.hasSuffix("/") ? "" : "/") + "mailferry-spool-test-" + UUID().uuidString
        spool = try MailSpool(directory: path, reserveSize: reserveSize)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    static let envelope = MailEnvelope(
        sender: .mailbox(EmailAddress("sender@ext.example")!),
        recipients: [.mailbox(EmailAddress("bob@example.com")!), .mailbox(EmailAddress("carol@example.com")!)])

    /// `entry` with every recipient final, as the queue manager completes it.
    static func finished(_ entry: SpoolEntry, reply: String = "250 2.0.0 Ok") -> SpoolEntry {
        var done = entry
        done.apply(SpoolStatusRecord(at: 1, results: entry.states.indices.map { .init(index: $0, state: .delivered, reply: reply) },
                                     nextAttemptAt: nil))
        return done
    }

    func store(_ body: String, at time: Double = 1_700_000_000) throws -> SpoolEntry {
        let writer = try spool.makeWriter(SpoolEnvelope(id: .make(unixTime: time), receivedAt: time, envelope: Self.envelope))
        try writer.write(Array(body.utf8))
        return try writer.commit()
    }

    /// A small message held in memory, committed as a segment record.
    func commit(_ body: String, at time: Double = 1_700_000_000) throws -> SpoolEntry {
        try spool.commit(SpoolEnvelope(id: .make(unixTime: time), receivedAt: time, envelope: Self.envelope), body: Array(body.utf8))
    }

    /// The spool as a new process sees it after a restart or a crash.
    func reopen() throws -> MailSpool {
        try MailSpool(directory: path)
    }

    func files(_ area: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "\(path)/\(area)").sorted()
    }

    func write(_ area: String, _ name: String, _ bytes: [UInt8]) {
        #expect(FileManager.default.createFile(atPath: "\(path)/\(area)/\(name)", contents: Data(bytes)), "could not create the test file")
    }

    func read(_ area: String, _ name: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: "\(path)/\(area)/\(name)") ?? Data())
    }
}
