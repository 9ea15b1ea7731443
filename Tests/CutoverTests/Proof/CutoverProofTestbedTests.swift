import Cutover
import Foundation
import MailTestSupport
import Testing

/// The proof over real logs: a private Postfix (the old server) relays to the testbed's new
/// Postfix, which delivers over LMTP to Dovecot; every message is proven from the three logs,
/// and deleting one Dovecot line makes the proof fail. The shared testbed is not
/// reconfigured: its logs are read from the offsets they had when the test began.
@Suite(.serialized, .tags(.integration), .requiresTestbed,
       .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct CutoverProofTestbedTests {
    static func size(_ path: String) throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
    }

    static func now() -> LogInstant {
        LogInstant(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
    }

    @Test func everyRelayedMessageIsProvenAndADeletedDovecotLineFailsTheProof() async throws {
        let testbed = try Testbed.require()
        let first = try testbed.makeAccount(prefix: "cutproof")
        let second = try testbed.makeAccount(prefix: "cutproof")
        let newLog = "\(testbed.new.logDir)/postfix-new.log"
        let dovecotLog = "\(testbed.new.logDir)/dovecot.log"
        let newStart = LogCursor(path: newLog, offset: try Self.size(newLog))
        let dovecotStart = LogCursor(path: dovecotLog, offset: try Self.size(dovecotLog))
        let since = Self.now().adding(seconds: -1)
        let clock = LogClock(anchor: since, utcOffsetSeconds: Int64(TimeZone.current.secondsFromGMT()))
        let newSMTP = testbed.new.smtp
        let extra = "transport_maps = inline:{ {\(testbed.new.domain) = smtp:[\(newSMTP.host)]:\(newSMTP.port)} }"

        try await PrivatePostfix.with("proof", hostname: "mx.old.cutproof.test", extraMainCF: extra) { old in
            for number in 1...3 { try old.sendSMTP(to: first.newAddress, subject: "proof \(number)") }
            let session = try SMTPTestSession(old.endpoint)
            try session.send(from: "sender@ext.test", to: [first.newAddress, second.newAddress],
                             message: "From: sender@ext.test\nSubject: two recipients, one queue id\n\nboth\n")
            try session.quit()
            try old.sendSMTP(to: "alice@store.test", subject: "into the old store")
            #expect(throws: (any Error).self) { try old.sendSMTP(to: "nobody@store.test", subject: "refused") }

            try await old.waitFor("the old server to finish 5 messages") {
                old.logLines(containing: ": removed").count == 5
            }
            let saves = { (user: String) -> Int in
                let data = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: dovecotLog)))
                    .flatMap { handle -> Data? in
                        defer { try? handle.close() }
                        try? handle.seek(toOffset: dovecotStart.offset)
                        return try? handle.readToEnd()
                    } ?? Data()
                return String(decoding: data, as: UTF8.self).split(separator: "\n")
                    .filter { $0.contains("lmtp(\(user))") && $0.contains("saved mail to") }.count
            }
            try await old.waitFor("Dovecot to save 5 messages", timeout: .seconds(60)) { saves(first.name) == 4 && saves(second.name) == 1 }
            let until = Self.now().adding(seconds: 1)

            let reader = HostLogReader(host: LocalHost())
            var oldScanner = MailLogScanner(name: "old postfix", clock: clock)
            _ = try await reader.read(LogCursor(path: old.logFile), into: &oldScanner)
            var newScanner = MailLogScanner(name: "new postfix", clock: clock)
            _ = try await reader.read(newStart, into: &newScanner)
            var dovecotScanner = MailLogScanner(name: "dovecot", clock: clock)
            _ = try await reader.read(dovecotStart, into: &dovecotScanner)
            let dovecotScan = dovecotScanner.finish()

            var inputs = ProofInputs(
                oldLog: oldScanner.finish(), newLog: newScanner.finish(), dovecotLog: dovecotScan, since: since, until: until,
                newServerRelays: ["\(newSMTP.host):\(newSMTP.port)"],
                oldStore: OldStoreEvidence(verifiedAddresses: ["alice@store.test": true]),
                timeline: [ProofPhase(name: "mail sent", start: since, end: until)])
            let report = CutoverProof.build(from: inputs)
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
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: dovecotLog))
            try handle.seek(toOffset: dovecotStart.offset)
            let text = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
            try handle.close()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let kept = lines.filter { !$0.contains("<\(lmtpSession)>") }
            #expect(kept.count == lines.count - 1)
            inputs.dovecotLog = MailLogScan.scan(name: "dovecot", bytes: Array(kept.joined(separator: "\n").utf8), clock: clock)
            let broken = CutoverProof.build(from: inputs)
            #expect(broken.verdict == .failed)
            #expect(broken.counts.lost == 1)
            let lost = broken.entries.filter { $0.outcome.kind == .unaccounted }
            #expect(lost.map { $0.recipient.lowercased() } == [second.newAddress.lowercased()])
            #expect(lost.first?.outcome.detail.contains(String(lmtpSession)) == true)
        }
    }
}
