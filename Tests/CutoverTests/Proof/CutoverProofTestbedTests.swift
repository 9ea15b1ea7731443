import Cutover
import Foundation
import MailTestSupport
import Testing

/// The proof over real logs: a private Postfix (the old server) relays to the testbed's new
/// Postfix, which delivers over LMTP to Dovecot; every message is proven from the three logs,
/// deleting one Dovecot line makes the proof fail, and mail held by the cutover's hold is
/// pending until the relay and proven after it. The shared testbed is not reconfigured: its
/// logs are read from the offsets they had when the test began.
@Suite(.serialized, .tags(.integration), .requiresTestbed,
       .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct CutoverProofTestbedTests {
    static func size(_ path: String) throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
    }

    static func now() -> LogInstant {
        LogInstant(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
    }

    /// Where the shared logs end now: the proof reads only what this test adds.
    struct Start {
        let testbed: Testbed
        let newLog: LogCursor
        let dovecotLog: LogCursor
        let since: LogInstant
        let clock: LogClock

        init(_ testbed: Testbed) throws {
            self.testbed = testbed
            let newPath = "\(testbed.new.logDir)/postfix-new.log"
            let dovecotPath = "\(testbed.new.logDir)/dovecot.log"
            newLog = LogCursor(path: newPath, offset: try CutoverProofTestbedTests.size(newPath))
            dovecotLog = LogCursor(path: dovecotPath, offset: try CutoverProofTestbedTests.size(dovecotPath))
            since = CutoverProofTestbedTests.now().adding(seconds: -1)
            clock = LogClock(anchor: since, utcOffsetSeconds: Int64(TimeZone.current.secondsFromGMT()))
        }

        /// Lines Dovecot logged since the start that saved mail for `user`.
        func saves(_ user: String) -> Int {
            guard let handle = FileHandle(forReadingAtPath: dovecotLog.path) else { return 0 }
            defer { try? handle.close() }
            try? handle.seek(toOffset: dovecotLog.offset)
            let text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
            return text.split(separator: "\n").filter { $0.contains("lmtp(\(user))") && $0.contains("saved mail to") }.count
        }

        /// The proof over the private old instance's whole log and the shared logs since the start.
        func prove(_ old: PrivatePostfix, timeline: [ProofPhase], verified: [String: Bool] = [:]) async throws -> CutoverProofReport {
            CutoverProof.build(from: try await inputs(old, timeline: timeline, verified: verified))
        }

        func inputs(_ old: PrivatePostfix, timeline: [ProofPhase], verified: [String: Bool]) async throws -> ProofInputs {
            let reader = HostLogReader(host: LocalHost())
            var oldScanner = MailLogScanner(name: "old postfix", clock: clock)
            _ = try await reader.read(LogCursor(path: old.logFile), into: &oldScanner)
            var newScanner = MailLogScanner(name: "new postfix", clock: clock)
            _ = try await reader.read(newLog, into: &newScanner)
            var dovecotScanner = MailLogScanner(name: "dovecot", clock: clock)
            _ = try await reader.read(dovecotLog, into: &dovecotScanner)
            let smtp = testbed.new.smtp
            return ProofInputs(
                oldLog: oldScanner.finish(), newLog: newScanner.finish(), dovecotLog: dovecotScanner.finish(),
                since: since, until: CutoverProofTestbedTests.now().adding(seconds: 1), newServerRelays: ["\(smtp.host):\(smtp.port)"],
                oldStore: OldStoreEvidence(verifiedAddresses: verified), timeline: timeline)
        }
    }

    /// The private old instance relays the new server's domain to the testbed's new Postfix.
    static func relayToNew(_ testbed: Testbed) -> String {
        "transport_maps = inline:{ {\(testbed.new.domain) = smtp:[\(testbed.new.smtp.host)]:\(testbed.new.smtp.port)} }"
    }

    /// One test, one private instance and two accounts (each costs seconds on a loaded
    /// testbed): the relayed mail proven, a deleted Dovecot line failing the proof, then the
    /// hold (pending) and the relay to the new server (proven again).
    @Test func everyMessageIsProvenADeletedLineFailsItAndHeldMailIsProvenAfterTheRelay() async throws {
        let testbed = try Testbed.require()
        let first = try await testbed.makeAccount(prefix: "cutproof")
        let second = try await testbed.makeAccount(prefix: "cutproof")
        let start = try Start(testbed)
        let verified = ["alice@store.test": true]
        try await PrivatePostfix.with("proof", hostname: "mx.old.cutproof.test", extraMainCF: Self.relayToNew(testbed)) { old in
            for number in 1...3 { try await old.sendSMTP(to: first.newAddress, subject: "proof \(number)") }
            let session = try await SMTPTestSession(old.endpoint)
            try await session.send(from: "sender@ext.test", to: [first.newAddress, second.newAddress],
                             message: "From: sender@ext.test\nSubject: two recipients, one queue id\n\nboth\n")
            try await session.quit()
            try await old.sendSMTP(to: "alice@store.test", subject: "into the old store")
            await #expect(throws: (any Error).self) { try await old.sendSMTP(to: "nobody@store.test", subject: "refused") }

            try await old.waitFor("the old server to finish 5 messages") { old.logLines(containing: ": removed").count == 5 }
            try await old.waitFor("Dovecot to save 5 messages", timeout: .seconds(60), watching: [start.testbed.new.logDir]) {
                start.saves(first.name) == 4 && start.saves(second.name) == 1
            }
            let mailSent = ProofPhase(name: "mail sent", start: start.since, end: Self.now())
            let report = try await start.prove(old, timeline: [mailSent], verified: verified)
            print("proof: \(report.verdict) \(report.counts)")
            #expect(report.verdict == .proven, "\(report.reasons)")
            #expect(report.counts.accepted == 5)
            #expect(report.counts.deliveredNew == 5)
            #expect(report.counts.deliveredOld == 1)
            #expect(report.counts.refused == 1)
            #expect(report.counts.lost == 0 && report.counts.duplicated == 0)
            let relayed = report.entries.filter { $0.outcome.kind == .deliveredNew }
            #expect(relayed.allSatisfy { $0.outcome.folders == ["INBOX"] })
            #expect(Set(relayed.map { $0.recipient.lowercased() }) == [first.newAddress.lowercased(), second.newAddress.lowercased()])

            // Delete Dovecot's line for the second account's delivery: that recipient is lost.
            let entry = try #require(relayed.first { $0.recipient.lowercased() == second.newAddress.lowercased() })
            let hop = try #require(entry.hops.first { $0.hasPrefix("dovecot ") })
            let lmtpSession = try #require(hop.split(separator: " ").drop { $0 != "session" }.dropFirst().first)
            var broken = try await start.inputs(old, timeline: [mailSent], verified: verified)
            let text = String(decoding: try #require(FileManager.default.contents(atPath: start.dovecotLog.path))
                .dropFirst(Int(start.dovecotLog.offset)), as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let kept = lines.filter { !$0.contains("<\(lmtpSession)>") }
            #expect(kept.count == lines.count - 1)
            broken.dovecotLog = MailLogScan.scan(name: "dovecot", bytes: Array(kept.joined(separator: "\n").utf8), clock: start.clock)
            let failed = CutoverProof.build(from: broken)
            #expect(failed.verdict == .failed)
            #expect(failed.counts.lost == 1)
            let lost = failed.entries.filter { $0.outcome.kind == .unaccounted }
            #expect(lost.map { $0.recipient.lowercased() } == [second.newAddress.lowercased()])
            #expect(lost.first?.outcome.detail.contains(String(lmtpSession)) == true)

            // The hold: mail for the new server's domain is held (smtpd HOLD) or deferred
            // (sendmail, by the hold transport); the proof is pending, nothing lost.
            let domains = CutoverDomains([testbed.new.domain])
            let holdStart = Self.now()
            try await old.postfix.apply(HoldPlan(domains: domains).plan(
                current: try await old.postfix.explicitSettings(), mailferryDirectory: old.postfix.mailferryDirectory))
            try await old.sendSMTP(to: second.newAddress, subject: "held smtp")
            try await old.sendLocal(to: second.newAddress, subject: "held sendmail")
            try await old.waitFor("the local submission deferred") { !old.logLines(containing: "relay=mailferry-hold").isEmpty }
            try await old.waitFor("the smtp message held") { try await old.postfix.queue().filter { $0.queueName == "hold" }.count == 1 }
            let during = try await start.prove(old, timeline: [mailSent, ProofPhase(name: "hold", start: holdStart)], verified: verified)
            print("proof during the hold: \(during.verdict) \(during.counts)")
            #expect(during.verdict == .pending, "\(during.reasons)")
            #expect(during.counts.accepted == 7 && during.counts.deliveredNew == 5 && during.counts.queued == 2)
            #expect(during.entries.contains { $0.outcome.detail == "in the hold queue" })

            // The switch: the held mail is relayed to the new server and proven.
            let switchStart = Self.now()
            let backup = try #require(try await old.postfix.cutoverBackup())
            _ = try await old.postfix.apply(RelayPlan(domains: domains, host: testbed.new.smtp.host, port: testbed.new.smtp.port).plan(backup: backup))
            try await old.waitFor("Dovecot to save the held messages", timeout: .seconds(60), watching: [start.testbed.new.logDir]) {
                start.saves(second.name) == 3
            }
            try await old.waitFor("the old queue empty") { try await old.postfix.queue().isEmpty }
            let timeline = [mailSent, ProofPhase(name: "hold", start: holdStart, end: switchStart), ProofPhase(name: "switch", start: switchStart)]
            let after = try await start.prove(old, timeline: timeline, verified: verified)
            print("proof after the relay: \(after.verdict) \(after.counts)")
            #expect(after.verdict == .proven, "\(after.reasons)")
            #expect(after.counts.accepted == 7 && after.counts.deliveredNew == 7 && after.counts.deliveredOld == 1)
            #expect(after.timeline.map(\.name) == ["mail sent", "hold", "switch"])
        }
    }
}
