import Cutover
import Foundation
import MailferryConfig
import StateStore
import Testing
import Verify

@testable import Migration

/// The *prove* step wired to the log proof: the config's logs read on their hosts, the window
/// and the old-store evidence taken from the journal, the verdict deciding the step.
struct LogCutoverProverTests {
    typealias L = ProofLogBuilder

    struct VerifiedMailboxes: CutoverMailboxes {
        func sync(_ pass: CutoverSyncPass) async throws -> CutoverSyncResult { CutoverSyncResult(copied: 0) }
        func verify() async throws -> (passed: Bool, detail: String) { (true, "intact") }
        func purgeMirrorCopies() async throws -> (removed: Int, left: [String]) { (0, []) }
        func markNewMailboxes() async throws -> NewMailboxMarks { NewMailboxMarks(accounts: ["alice": ["INBOX": .init(uidValidity: 7, uidNext: 12)]]) }
        func copyBackSinceSwitch(marks: NewMailboxMarks, to old: any Cutover.Host) async throws -> Int { marks.folderCount }
    }

    static func at(_ second: Int) -> Double { Double(L.instant(second).microseconds) / 1_000_000 }

    @Test func theProveStepIsTheLogProofAndALostLineFailsIt() async throws {
        let directory = NSTemporaryDirectory() + "mailferry-wire-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // alice's first message reached the old store before the final delta; the second,
        // for alice and bob, was held and relayed after the switch.
        // Each log begins before the window does, as a server's log that covers it does.
        var logs = L()
        logs.old.append("\(L.time(0)) mx.old postfix/master[1]: daemon started -- version 3.7.11, configuration /etc/postfix")
        logs.new.append("\(L.time(0)) mx.new postfix/master[1]: daemon started -- version 3.7.11, configuration /etc/postfix")
        logs.dovecot.append("\(L.time(0)) master: Info: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3, lmtp")
        logs.old += L.accept(3, "mx.old", "C0C0C0C0C1", messageID: "<early@ext.example>", recipients: 1)
        logs.old.append("\(L.time(3)) mx.old postfix/local[104]: C0C0C0C0C1: to=<alice@example.com>, relay=local, delay=0.02, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)")
        logs.old.append(L.removed(3, "mx.old", "C0C0C0C0C1"))
        logs.chain(at: 20, oldQID: "A1B2C3D4E5", newQID: "F0E1D2C3B4", users: ["alice", "bob"])
        func write(_ lines: [String], _ name: String) throws {
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
        }
        try write(logs.old, "old.log")
        try write(logs.new, "new.log")
        try write(logs.dovecot, "dovecot.log")

        let text = """
            [source]
            url = "maildir:{home}/Maildir"
            [destination]
            url = "imap://new"
            [[accounts]]
            user = "alice"
            [[accounts]]
            user = "bob"
            [cutover]
            domains = ["example.com"]
            [cutover.old]
            host = "local"
            mail_log = "\(directory)/old.log"
            [cutover.new]
            relay_host = "192.0.2.20"
            mail_log = "\(directory)/new.log"
            dovecot_log = "\(directory)/dovecot.log"
            deliver_locally_command = ["/bin/true"]
            relay_to_old_command = ["/bin/true"]
            close_logins_command = ["/bin/true"]
            open_logins_command = ["/bin/true"]
            """
        let config = try #require(try MigrationConfig.parse(text, origin: "\(directory)/c.toml").cutover)
        let journal = StateCutoverJournal(store: try SQLiteStateStore(directory: directory), run: "example.com")
        try await journal.append(step: .presync(round: 1), event: .started(token: nil), at: Self.at(1))
        try await journal.append(step: .finalSync, event: .started(token: nil), at: Self.at(5))
        try await journal.append(step: .verify, event: .finished(CutoverResult(detail: "intact")), at: Self.at(6))
        try await journal.append(step: .relayOldToNew, event: .started(token: nil), at: Self.at(15))
        let hosts = CutoverHosts(old: LocalHost(), new: LocalHost(), oldPostfix: "/etc/postfix", newPostfix: "/etc/postfix",
                                 domains: CutoverDomains(config.domains))
        var prover = try #require(LogCutoverProver(config: config, hosts: hosts, journal: journal, users: ["alice", "bob"]))
        prover.prover.settings.utcOffsetSeconds = 0
        let effects = HostCutoverEffects(config: config, hosts: hosts, mailboxes: VerifiedMailboxes(), journal: journal, prover: prover,
                                         reportDirectory: "\(directory)/report", now: { Self.at(300) })

        let outcome = try await effects.perform(.prove, token: nil)
        guard case .done(let result) = outcome else { Issue.record("\(outcome)"); return }
        #expect(result.detail.hasPrefix("proof proven: 2 messages, 3 recipients, 2 delivered new, 1 old, 0 queued, 0 lost, 0 duplicated, 0 refused"),
                "\(result.detail)")
        let report = try JSONDecoder().decode(CutoverProofReport.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/report/proof.json")))
        #expect(report.since == L.instant(1) && report.until == L.instant(300))
        #expect(report.timeline.map(\.name) == ["presync", "final-delta", "switch"])
        #expect(FileManager.default.fileExists(atPath: "\(directory)/report/proof.html"))
        #expect(FileManager.default.fileExists(atPath: "\(directory)/report/cutover-report.json"))

        // The relayed message not yet relayed for bob (no line for him, the message still in
        // the old queue): the step waits and proves again, as the drain does.
        try write(logs.old.filter { !($0.contains("bob@") || $0.contains(": removed")) }, "old.log")
        let waiting = try await effects.perform(.prove, token: nil)
        guard case .notYet(let detail, let retryAfter) = waiting else { Issue.record("\(waiting)"); return }
        #expect(detail.hasPrefix("proof pending: 2 messages, 3 recipients, 1 delivered new, 1 old, 1 queued, 0 lost"), "\(detail)")
        #expect(retryAfter == effects.drainInterval)
        try write(logs.old, "old.log")

        // bob's LMTP delivery missing from the new log: the step fails with the proof's reason.
        try write(logs.new.filter { !($0.contains("postfix/lmtp") && $0.contains("bob@")) }, "new.log")
        let failed = try await effects.perform(.prove, token: nil)
        guard case .failed(let reason) = failed else { Issue.record("\(failed)"); return }
        #expect(reason.hasPrefix("proof failed: 2 messages, 3 recipients, 1 delivered new, 1 old"), "\(reason)")
        #expect(reason.contains("1 lost"), "\(reason)")
    }

    @Test func oldStoreDeliveriesCountOnlyAfterAVerifyOfTheLastFinalDelta() {
        func record(_ step: CutoverStep, _ event: CutoverEvent, _ at: Double) -> CutoverRecord {
            CutoverRecord(sequence: 0, at: at, step: step, event: event)
        }
        let passed = LogCutoverProver.oldStore([
            record(.finalSync, .started(token: nil), 5), record(.verify, .failed(reason: "1 missing"), 6),
            record(.finalSync, .started(token: nil), 9), record(.verify, .finished(CutoverResult(detail: "intact")), 10),
        ], addresses: ["alice@example.com"])
        #expect(passed.finalSyncStartedAt == LogCutoverProver.instant(9))
        #expect(passed.verifiedAddresses == ["alice@example.com": true])
        let failed = LogCutoverProver.oldStore([
            record(.finalSync, .started(token: nil), 5), record(.verify, .finished(CutoverResult(detail: "intact")), 6),
            record(.finalSync, .started(token: nil), 9),
        ], addresses: ["alice@example.com"])
        #expect(failed.verifiedAddresses.isEmpty)
    }

    @Test func statusShowsTheVerdictAndWhereTheProofComesFrom() {
        let machine = CutoverMachine(smallDelta: 50, maxRounds: 5)
        var records = [CutoverRecord(sequence: 1, at: 1, step: .prove, event: .started(token: nil)),
                       CutoverRecord(sequence: 2, at: 2, step: .prove, event: .failed(reason: "proof failed: 1 lost"))]
        let failed = CutoverStatus(run: "example.com", records: records, machine: machine, now: 3, proofSource: "from the logs")
        #expect(failed.proof == "FAILED: proof failed: 1 lost")
        #expect(failed.proofSource == "from the logs")
        records += [CutoverRecord(sequence: 3, at: 3, step: .prove, event: .started(token: nil)),
                    CutoverRecord(sequence: 4, at: 4, step: .prove, event: .finished(CutoverResult(detail: "proof proven: 2 messages")))]
        #expect(CutoverStatus(run: "example.com", records: records, machine: machine, now: 5).proof == "proof proven: 2 messages")
        let pending = [CutoverRecord(sequence: 1, at: 1, step: .prove, event: .started(token: nil)),
                       CutoverRecord(sequence: 2, at: 2, step: .prove, event: .notYet(detail: "proof pending: 1 queued", retryAfter: 60))]
        #expect(CutoverStatus(run: "example.com", records: pending, machine: machine, now: 3).proof == "PENDING: proof pending: 1 queued")
    }
}
