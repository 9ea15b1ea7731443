import Cutover
import Foundation
import MailferryConfig
import MailTestSupport
import Migration
import StateStore
import Synchronization
import Testing

/// The cutover run end to end on two private Postfix instances (old and new, see
/// ``PrivatePostfix``) with mail flowing the whole time, and the runner killed right after
/// the switch's Postfix change (before the journal learns of it), then resumed by a new
/// runner from the state store (CutoverKillTests kills the real process in the hold and the
/// switch). The old IMAP/POP step is a command the
/// test controls: the shared Courier is never stopped. The prove step reads both instances'
/// `maillog_file`: the run's proof must be proven with the exact count, and fail without one
/// delivery line.
@Suite(.serialized, .tags(.integration), .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct CutoverRehearsalTests {
    func config(old: PrivatePostfix, new: PrivatePostfix) throws -> CutoverConfig {
        let text = PrivatePostfix.cutoverConfig(old: old, new: new).text + CutoverTestConfig.finishAtOnce + """
            [cutover.presync]
            small_delta = 3
            max_rounds = 3
            """
        return try #require(try MigrationConfig.parse(text, origin: "/rehearsal.toml").cutover)
    }

    @Test func mailFlowingThroughHoldDeltaAndSwitchArrivesExactlyOnceAcrossKills() async throws {
        try await PrivatePostfix.with("rehearsal-new", hostname: "mx.new.cutover.test") { new in
            try await PrivatePostfix.with("rehearsal-old", hostname: "mx.old.cutover.test") { old in
                let state = NSTemporaryDirectory() + "mailferry-rehearsal-\(UUID().uuidString.prefix(8))"
                defer { try? FileManager.default.removeItem(atPath: state) }
                let cutover = try config(old: old, new: new)
                let hosts = CutoverHosts(old: LocalHost(name: "old"), new: LocalHost(name: "new"), oldPostfix: old.configDirectory,
                                         newPostfix: new.configDirectory, domains: CutoverDomains(cutover.domains))
                let recipients = PrivatePostfix.users.map { "\($0)@\(PrivatePostfix.domain)" }
                let flow = MailFlow()
                async let flowing: Void = flow.run(old, recipients: recipients)
                flow.allow(6)
                try await old.waitFor("mail delivered to the old store before the cutover") {
                    PrivatePostfix.users.allSatisfy { old.delivered(to: $0).count >= 2 }
                }

                let kills = KillPlan([.relayOldToNew])
                var outcome: CutoverRunner<ContinuousClock>.Outcome?
                var processes = 0
                while outcome == nil, processes < 5 {
                    processes += 1
                    let death = ProcessDeath(killAfter: kills)
                    let journal = StateCutoverJournal(store: try SQLiteStateStore(directory: state), run: cutover.domains.joined(separator: ","))
                    var effects = HostCutoverEffects(
                        config: cutover, hosts: hosts,
                        mailboxes: MaildirCopyMailboxes(oldRoot: old.mailRoot, newRoot: new.mailRoot, users: PrivatePostfix.users),
                        journal: journal, prover: LogCutoverProver(config: cutover, hosts: hosts, journal: journal, users: PrivatePostfix.users),
                        reportDirectory: state, now: { Date().timeIntervalSince1970 })
                    effects.drainInterval = .milliseconds(200)
                    var runner = CutoverRunner(
                        machine: CutoverMachine(smallDelta: cutover.smallDelta, maxRounds: cutover.maxRounds),
                        journal: KillableJournal(inner: journal, death: death), effects: KillableEffects(inner: IdleFlowBeforeProof(inner: effects, flow: flow, old: old), death: death),
                        clock: ContinuousClock(), now: { Date().timeIntervalSince1970 }, makeToken: { UUID().uuidString })
                    // The proof reads the logs once the mail allowed so far arrived (it waits
                    // for mail in flight); mail goes on after the run.
                    runner.observe = { record in if record.step != .prove { flow.allow(2) } }
                    do {
                        outcome = try await runner.run()
                    } catch is Killed {
                        continue
                    }
                }
                // Mail after the switch, then the end of the flow.
                let before = flow.count
                flow.allow(10)
                try await flow.waitUntil("mail after the switch", timeout: .seconds(120)) { $0.count >= before + 10 }
                flow.stop()
                await flowing
                #expect(outcome == .finished)
                #expect(processes == 2, "one kill, then the run that finished")

                let sent = flow.sent.withLock { $0 }
                let refused = sent.filter { !$0.reply.hasPrefix("250") }
                #expect(refused.isEmpty, "refused: \(refused.map { "\($0.subject): \($0.reply)" })")
                // The proof below reads the logs, which postlogd writes a moment after the queue
                // file goes and the message file arrives: the waits are for the log lines too.
                try await old.waitFor("the old queue empty and every message's removal logged", timeout: .seconds(120)) {
                    try await old.postfix.queue().isEmpty && old.logLines(containing: ": removed").count >= sent.count
                }
                let relayed = old.logLines(containing: "relay=\(new.address)[\(new.address)]:\(new.port)").filter { $0.contains("status=sent") }.count
                try await new.waitFor("every message in the new store, each relayed one's removal logged", timeout: .seconds(120)) {
                    PrivatePostfix.users.map { new.subjects(of: $0).count }.reduce(0, +) >= sent.count
                        && new.logLines(containing: ": removed").count >= relayed
                }
                let arrived = PrivatePostfix.users.flatMap { new.subjects(of: $0) }
                let counts = Dictionary(arrived.map { ($0, 1) }, uniquingKeysWith: +)
                let lost = sent.map(\.subject).filter { counts[$0] == nil }
                let duplicated = counts.filter { $0.value > 1 }.keys.sorted()
                #expect(lost.isEmpty, "lost: \(lost)")
                #expect(duplicated.isEmpty, "duplicated: \(duplicated)")

                let records = try await StateCutoverJournal(store: try SQLiteStateStore(directory: state), run: PrivatePostfix.domain).records()
                let starts = records.filter { if case .started = $0.event { true } else { false } }
                #expect(starts.filter { $0.step == .enterHold }.count == 1)
                #expect(starts.filter { $0.step == .relayOldToNew }.count == 2, "the switch ran again after the kill")
                let holdStart = try #require(starts.first { $0.step == .enterHold }?.at)
                let relayEnd = try #require(records.last { $0.step == .relayOldToNew }?.at)
                let heldDuring = sent.filter { $0.at >= holdStart && $0.at <= relayEnd }.count
                print("rehearsal: \(sent.count) messages, 0 refused, \(lost.count) lost, \(duplicated.count) duplicated; "
                      + "freeze window (hold -> relaying to the new server) \(String(format: "%.2f", relayEnd - holdStart)) s with one kill and resume, "
                      + "\(heldDuring) messages accepted during it")
                #expect(heldDuring > 0, "mail flowed during the hold")
                #expect(sent.contains { $0.at > relayEnd }, "mail flowed after the switch")

                // The run's own proof, from both instances' maillog_file: every message the old
                // server accepted from the second the first phase began to the prove step.
                let windowStart = try #require(records.first?.at).rounded(.down)
                let proven = try #require(records.last { $0.step == .prove })
                guard case .finished(let runProof) = proven.event else { Issue.record("the run's proof: \(proven.event)"); return }
                // The log has whole seconds and the client's times bracket each acceptance
                // (session start .. reply), so a message straddling the window's first second or
                // the moment the step read the log may fall on either side; every other one is
                // counted exactly.
                let proveStarted = try #require(records.last { $0.step == .prove && { if case .started = $0.event { true } else { false } }($0) }?.at)
                let surelyIn = sent.filter { $0.startedAt >= windowStart && $0.at < proveStarted }.count
                let maybeIn = sent.filter { $0.at >= windowStart && $0.startedAt <= proven.at }.count
                let runCount = Self.provenCount(runProof.detail)
                #expect(runCount.map { (surelyIn...maybeIn).contains($0) } == true, "\(surelyIn)...\(maybeIn): \(runProof.detail)")
                #expect(runProof.detail.contains(" 0 queued, 0 lost, 0 duplicated, 0 refused"), "\(runProof.detail)")
                print("rehearsal run's proof: \(runProof.detail)")

                // Again once the mail after the run arrived; then without one delivery line.
                let journal = StateCutoverJournal(store: try SQLiteStateStore(directory: state), run: PrivatePostfix.domain)
                let prover = try #require(LogCutoverProver(config: cutover, hosts: hosts, journal: journal, users: PrivatePostfix.users))
                var effects = HostCutoverEffects(
                    config: cutover, hosts: hosts,
                    mailboxes: MaildirCopyMailboxes(oldRoot: old.mailRoot, newRoot: new.mailRoot, users: PrivatePostfix.users),
                    journal: journal, prover: prover, reportDirectory: state, now: { Date().timeIntervalSince1970 })
                let proved = try await effects.perform(.prove, token: nil)
                guard case .done(let proof) = proved else { Issue.record("the proof failed: \(proved)"); return }
                let inWindow = try #require(Self.provenCount(proof.detail), "\(proof.detail)")
                let surely = sent.filter { $0.startedAt >= windowStart }.count
                let maybe = sent.filter { $0.at >= windowStart }.count
                #expect((surely...maybe).contains(inWindow), "\(surely)...\(maybe): \(proof.detail)")
                #expect(proof.detail.hasPrefix("proof proven: \(inWindow) messages, \(inWindow) recipients"), "\(proof.detail)")
                #expect(proof.detail.contains(" 0 queued, 0 lost, 0 duplicated, 0 refused"), "\(proof.detail)")
                #expect(FileManager.default.fileExists(atPath: "\(state)/proof.html"))
                print("rehearsal proof: \(proof.detail)")
                // One line of the new server's log gone (a relayed message's delivery): unaccounted.
                let newLog = try String(contentsOfFile: new.logFile, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                let delivery = try #require(newLog.firstIndex { $0.contains("/virtual[") && $0.contains("status=sent") })
                let cut = "\(state)/new-maillog-cut"
                try (newLog[..<delivery] + newLog[(delivery + 1)...]).joined(separator: "\n").write(toFile: cut, atomically: true, encoding: .utf8)
                var broken = prover
                broken.prover.newLog?.path = cut
                effects.prover = broken
                let failed = try await effects.perform(.prove, token: nil)
                guard case .failed(let reason) = failed else { Issue.record("a missing delivery line still proved: \(failed)"); return }
                #expect(reason.hasPrefix("proof failed: \(inWindow) messages"), "\(reason)")
                #expect(reason.contains(" 1 lost"), "\(reason)")

                var previous = records.first?.at ?? 0
                for record in records where record.step != nil {
                    print(String(format: "  +%6.2f s  %@ %@", record.at - previous, record.step!.name, "\(record.event)".prefix(60).description))
                    previous = record.at
                }
            }
        }
    }

    /// N of "proof proven: N messages, ...".
    static func provenCount(_ detail: String) -> Int? {
        guard detail.hasPrefix("proof proven: ") else { return nil }
        return Int(detail.dropFirst("proof proven: ".count).prefix { $0.isNumber })
    }
}
