import Cutover
import Foundation
import MailferryConfig
import MailModel
import MailSpool
import MailTestSupport
import Testing

@testable import Migration

/// The purge of mirror copies waits for the mirror's spool to drain: a copy still there
/// would reach the new mailbox after the purge, a duplicate nobody removes.
@Suite struct MirrorSpoolDrainTests {
    typealias ScriptedHost = HostCutoverEffectsTests.ScriptedHost

    /// The effects with the purge's default bound, on `clock`.
    func effects(spool: String, clock: TestClock = TestClock(advance: .onSleep)) throws -> HostCutoverEffects {
        let text = CutoverConfigTests.base + "[cutover.mirror]\nspool = \"\(spool)\"\n"
        let config = try #require(try MigrationConfig.parse(text, origin: "/etc/c.toml").cutover)
        var effects = HostCutoverEffects(
            config: config,
            hosts: CutoverHosts(old: ScriptedHost(name: "old"), new: ScriptedHost(name: "new"), oldPostfix: "/etc/postfix", newPostfix: "/etc/postfix",
                                domains: CutoverDomains(["example.com"])),
            mailboxes: HostCutoverEffectsTests.NoMailboxes(), journal: ModelJournal(), prover: nil, reportDirectory: "/tmp", now: { 1_800_000_000 })
        effects.clock = clock
        return effects
    }

    @Test func aCopyStillInTheSpoolStopsThePurgeAndIsNamedUntilItIsDelivered() async throws {
        let path = NSTemporaryDirectory() + "mailferry-drain-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spool = try MailSpool(directory: path)
        let envelope = MailEnvelope(sender: .mailbox(EmailAddress("sender@ext.example")!),
                                    recipients: [.mailbox(EmailAddress("alice@example.com.mirror.invalid")!)])
        let entry = try spool.commit(SpoolEnvelope(id: .make(unixTime: 1_800_000_000), receivedAt: 1_800_000_000, envelope: envelope),
                                     body: Array("Subject: copy\r\n\r\nx\r\n".utf8))
        try spool.appendStatus(entry.id, SpoolStatusRecord(at: 1_800_000_001, results: [.init(index: 0, state: .deferred, reply: "451 4.3.0 try again")],
                                                          nextAttemptAt: 1_800_000_060))
        let clock = TestClock(advance: .onSleep)
        let effects = try effects(spool: path, clock: clock)

        let stopped = try await effects.perform(.purgeMirrorCopies, token: nil)
        #expect(clock.now.offset >= effects.spoolDrainTimeout, "the purge waited its whole bound: \(clock.now)")
        guard case .failed(let reason) = stopped else { Issue.record("purged with a copy in the spool: \(stopped)"); return }
        #expect(reason.hasPrefix("the mirror's spool \(path) still holds 1 copy not delivered to the new server"), "\(reason)")
        #expect(reason.contains("\(entry.id) to alice@example.com.mirror.invalid (451 4.3.0 try again)"), "\(reason)")
        #expect(reason.contains("staying in the hold"))

        // Delivered: the purge goes ahead.
        try spool.complete(try spool.entry(entry.id), at: 1_800_000_070)
        let waits = clock.sleeps.count
        let purged = try await effects.perform(.purgeMirrorCopies, token: nil)
        #expect(clock.sleeps.count == waits, "a drained spool is not waited for")
        guard case .done(let result) = purged else { Issue.record("\(purged)"); return }
        #expect(result.copied == 3)
    }

    @Test func aMissingSpoolIsAnErrorNotAnEmptySpool() async throws {
        let effects = try effects(spool: "/nonexistent/mailferry-spool")
        await #expect(throws: CutoverError.self) { try await effects.perform(.purgeMirrorCopies, token: nil) }
    }
}
