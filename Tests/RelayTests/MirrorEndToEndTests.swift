import Foundation
import Logging
import MailModel
import MailSpool
import MailTestSupport
import Relay
import SMTPClient
import SMTPCodec
import SMTPServer
import SMTPTestSupport
import ServiceLifecycle
import Testing

/// Old server → mailferry mirror → new server, on loopback with our own servers.
@Suite struct MirrorEndToEndTests {
    /// Runs the downstream around `body`: on `harness.downstreamPort`, or when that is 0 on a
    /// port the kernel picks, which it then sets as `harness.downstreamPort`.
    static func withDownstream(_ harness: MirrorHarness, _ body: () async throws -> Void) async throws {
        let server = harness.makeDownstream(port: harness.downstreamPort)
        try await MirrorHarness.running([server], logger: harness.logger) {
            harness.downstreamPort = try await server.listeningPort()
            try await body()
        }
    }

    /// Past the first backoff of the default policy: the queue's times are Unix seconds in a
    /// `Double`, so a second more than the backoff is due whatever their rounding.
    static let pastTheFirstBackoff = RetryPolicy().minimalBackoff + .seconds(1)

    @Test func copiesToTheNewServerWithOneTraceHeader() async throws {
        let harness = MirrorHarness()
        try await Self.withDownstream(harness) { () async throws in
            try await harness.withMirror { (port: Int, spool: MailSpool) async throws in
                let outcomes = try await harness.send(to: port, recipients: ["bob@OLD.test.mirror.invalid", "carol@old.test.mirror.invalid"])
                #expect(outcomes.allSatisfy { $0.disposition == .delivered })
                #expect(try await harness.eventually { try spool.finishedRecords().count == 1 })
                let record = try #require(try spool.finishedRecords().first)
                #expect(record.recipients.map(\.state) == [.delivered, .delivered])
                #expect(record.recipients.map(\.address) == ["bob@new.test", "carol@new.test"])
                #expect(record.recipients[0].reply.hasPrefix("250 2.0.0 Ok: queued"))
                #expect(record.metadata["message-id"] == "<m1@old.test>")
            }
        }
        let copies = harness.downstream.committed
        #expect(copies.count == 1)
        let copy = try #require(copies.first)
        #expect(copy.envelope.recipients.map(\.description) == ["<bob@new.test>", "<carol@new.test>"])
        // Issue 13.1: the copy's envelope sender is mailferry's own, never the real sender.
        #expect(copy.envelope.sender.description == "<bounces@mailferry.invalid>")
        #expect(copy.content.hasPrefix("X-Mailferry-Mirror: "))
        let lines = copy.content.split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0.hasPrefix("X-Mailferry-Mirror:") }.count == 1)
        // Issue 12.2: the tag verifies under the spool's key.
        #expect(try harness.tag().verifyHeader(Array(copy.content.utf8)) != nil)
        // Issue 13.9: an RFC 5321 Received: line under the tag (two lines folded, no `for`
        // with two recipients), then the message unchanged.
        #expect(lines[1] == "Received: from [127.0.0.1]")
        #expect(lines[2].hasPrefix("\tby mirror.test (mailferry mirror) id ") && lines[2].contains("; ") && lines[2].hasSuffix(" +0000"))
        #expect(lines.dropFirst(3).joined(separator: "\r\n") == "Subject: test\r\nMessage-ID: <m1@old.test>\r\n\r\nhello\r\n")
    }

    /// Issue 12.2: a sender's own `X-Mailferry-Mirror` header is renamed on the copy, so the
    /// copy carries one tag, the mirror's, and purge can never be led by a forged one.
    /// Issue 13.10: a recipient given twice gets one copy.
    @Test func neutralisesAnIncomingTagAndDropsDuplicateRecipients() async throws {
        let harness = MirrorHarness()
        let body = "x-mailferry-MIRROR : forged; mac=00\r\nSubject: forged\r\n\r\nX-Mailferry-Mirror: in the body stays\r\n"
        try await Self.withDownstream(harness) { () async throws in
            try await harness.withMirror { (port: Int, spool: MailSpool) async throws in
                let recipients = ["bob@old.test.mirror.invalid", "carol@old.test.mirror.invalid", "bob@OLD.TEST.mirror.invalid"]
                let outcomes = try await harness.send(to: port, recipients: recipients, body: body)
                #expect(outcomes.allSatisfy { $0.disposition == .delivered })
                #expect(try await harness.eventually { try spool.finishedRecords().count == 1 })
            }
        }
        let copy = try #require(harness.downstream.committed.first)
        #expect(harness.downstream.committed.count == 1)
        #expect(copy.envelope.recipients.map(\.description) == ["<bob@new.test>", "<carol@new.test>"])
        #expect(try harness.tag().verifyHeader(Array(copy.content.utf8)) != nil)
        #expect(copy.content.hasSuffix("X-Mailferry-Mirror-Original : forged; mac=00\r\nSubject: forged\r\n\r\nX-Mailferry-Mirror: in the body stays\r\n"))
    }

    /// Issue 13.1: a notification to the mirror's bounce address (the new server's DSN about
    /// a copy) is recorded durably for the report and never relayed.
    @Test func recordsNotificationsToItsBounceAddress() async throws {
        let harness = MirrorHarness()
        try await Self.withDownstream(harness) { () async throws in
            try await harness.withMirror { (port: Int, spool: MailSpool) async throws in
                let id = QueueID("066160ACCB65B7-E01438F7")!
                let dsn = LateFailureTests.postfixNotification.replacingOccurrences(of: "TAG", with: try harness.tag().value(for: id))
                let outcomes = try await harness.send(to: port, recipients: ["bounces@MAILFERRY.invalid"], body: dsn, sender: .null)
                #expect(outcomes.map(\.disposition) == [.delivered])
                #expect(try spool.entries().isEmpty, "nothing to relay")
                let failures = try LateFailureLog(spoolDirectory: spool.root).records()
                #expect(failures.map(\.id) == [id] && failures.map(\.status) == ["5.2.2"])
                let report = MirrorReport(finished: [], queued: [], lateFailures: failures)
                #expect(report.failedLater == 1 && report.problems.map(\.verdict) == ["failed-later"])
                // Any other address in the bounce domain is not ours: refused as relaying.
                let other = try await harness.send(to: port, recipients: ["postmaster@mailferry.invalid"], sender: .null)
                #expect(other.map(\.reply?.code) == [554])
            }
        }
        #expect(harness.downstream.committed.isEmpty)
    }

    /// Issue 13.9: a message whose first line begins with white space continues the field
    /// above it; that is our Received: line (as on the original), never the tag.
    @Test func aLeadingContinuationLineCannotFoldIntoTheTag() async throws {
        let harness = MirrorHarness()
        let body = " ; mac=0000\r\nSubject: folded\r\n\r\nhello\r\n"
        try await Self.withDownstream(harness) { () async throws in
            try await harness.withMirror { (port: Int, spool: MailSpool) async throws in
                _ = try await harness.send(to: port, recipients: ["bob@old.test.mirror.invalid"], body: body)
                #expect(try await harness.eventually { try spool.finishedRecords().count == 1 })
            }
        }
        let copy = try #require(harness.downstream.committed.first)
        let lines = copy.content.split(separator: "\r\n", omittingEmptySubsequences: false)
        let tagIndex = try #require(lines.firstIndex { $0.hasPrefix("X-Mailferry-Mirror:") })
        #expect(!(lines[tagIndex + 1].first == " " || lines[tagIndex + 1].first == "\t"), "nothing continues the tag field")
        #expect(lines[tagIndex + 1].hasPrefix("Received: "))
        #expect(copy.content.hasSuffix("+0000\r\n" + body))
        // One recipient: named in the Received: line's `for` clause.
        #expect(copy.content.contains("\r\n\tfor <bob@new.test>; "))
    }

    /// A message larger than what the sink holds in memory streams to disk as it arrives.
    @Test func largeMessagesStreamToTheSpool() async throws {
        let harness = MirrorHarness()
        let line = String(repeating: "0123456789", count: 7) + "\r\n"
        let body = "Subject: big\r\nMessage-ID: <big@old.test>\r\n\r\n" + String(repeating: line, count: 9000)
        try await Self.withDownstream(harness) { () async throws in
            try await harness.withMirror { (port: Int, spool: MailSpool) async throws in
                let outcomes = try await harness.send(to: port, recipients: ["bob@old.test.mirror.invalid"], body: body)
                #expect(outcomes.map(\.disposition) == [.delivered])
                #expect(try await harness.eventually { try spool.finishedRecords().count == 1 })
                #expect(try spool.finishedRecords().first?.metadata["message-id"] == "<big@old.test>")
            }
        }
        #expect(harness.downstream.committed.first?.content.hasSuffix(body) == true)
        #expect(body.utf8.count > 600_000)
    }

    /// §4 S-R1 through the whole server: never accepted, never queued, never forwarded.
    @Test func isNeverAnOpenRelay() async throws {
        let harness = MirrorHarness()
        harness.downstreamPort = try harness.reservePort()
        try await harness.withMirror { (port: Int, spool: MailSpool) async throws in
            let outcomes = try await harness.send(to: port, recipients: ["victim@other.example"])
            #expect(outcomes.allSatisfy { $0.disposition == .fail && $0.reply?.code == 554 })
            #expect(try spool.entries().isEmpty)
        }
        #expect(harness.downstream.committed.isEmpty)
    }

    @Test func recordsTheNewServersRejection() async throws {
        let harness = MirrorHarness(downstream: RecordingSink { recipient in
            recipient.address?.localPart == "bob" ? SMTPReply(code: 550, EnhancedStatusCode(5, 1, 1), "user unknown") : .recipientOK
        })
        try await Self.withDownstream(harness) { () async throws in
            try await harness.withMirror { (port: Int, spool: MailSpool) async throws in
                _ = try await harness.send(to: port, recipients: ["bob@old.test.mirror.invalid", "carol@old.test.mirror.invalid"])
                #expect(try await harness.eventually { try spool.finishedRecords().count == 1 })
                let record = try #require(try spool.finishedRecords().first)
                #expect(record.recipients.map(\.state) == [.failed, .delivered])
                #expect(record.recipients[0].reply == "550 5.1.1 user unknown")
            }
        }
        #expect(harness.downstream.committed.first?.envelope.recipients.count == 1)
    }

    /// The sender gets 250 while the new server is down; the copy arrives once it is back,
    /// at the retry the backoff scheduled (the queue's clock moves only when the test says).
    @Test func retriesUntilTheNewServerReturns() async throws {
        let harness = MirrorHarness()
        harness.downstreamPort = try harness.reservePort()
        let clock = TestClock(advance: .manually)
        try await harness.withMirror(clock: clock) { (port: Int, spool: MailSpool) async throws in
            let outcomes = try await harness.send(to: port, recipients: ["bob@old.test.mirror.invalid"])
            #expect(outcomes.map(\.disposition) == [.delivered])
            #expect(try await harness.eventually { harness.recordedAttempts == 1 })
            let deferred = try #require(try spool.entries().first)
            #expect(deferred.states == [.deferred])
            #expect(deferred.lastReplies.first?.isEmpty == false)
            #expect(deferred.attempts == 1)
            // Tried at once on arrival, then scheduled one minimal backoff later.
            let delay = try #require(deferred.nextAttemptAt) - deferred.envelope.receivedAt
            #expect(abs(delay - Double(RetryPolicy().minimalBackoff.components.seconds)) < 0.001, "\(delay)")
            // Waiting for a retry, the copy has a file of its own, so its segment can go.
            #expect(try await harness.eventually {
                try FileManager.default.contentsOfDirectory(atPath: spool.root + "/queue").contains { $0.hasSuffix(".msg") }
            })
            try await Self.withDownstream(harness) { () async throws in
                clock.advance(by: Self.pastTheFirstBackoff)
                #expect(try await harness.eventually { try spool.finishedRecords().count == 1 })
            }
            #expect(try spool.finishedRecords().first?.recipients.map(\.state) == [.delivered])
        }
        #expect(harness.downstream.committed.count == 1)
    }

    /// A queue left by a stopped mirror is delivered by the next start (recovery), at the
    /// time its failed attempt scheduled.
    @Test func restartDeliversWhatWasQueued() async throws {
        let harness = MirrorHarness()
        harness.downstreamPort = try harness.reservePort()
        try await harness.withMirror(clock: TestClock(advance: .manually)) { (port: Int, spool: MailSpool) async throws in
            _ = try await harness.send(to: port, recipients: ["bob@old.test.mirror.invalid"])
            #expect(try await harness.eventually { harness.recordedAttempts == 1 })
            #expect(try spool.entries().first?.states == [.deferred])
        }
        try await Self.withDownstream(harness) { () async throws in
            let clock = TestClock(advance: .manually)
            try await harness.withMirror(clock: clock) { (_: Int, spool: MailSpool) async throws in
                #expect(try spool.entries().count == 1, "still queued")
                clock.advance(by: Self.pastTheFirstBackoff)
                #expect(try await harness.eventually { try spool.finishedRecords().count == 1 })
            }
        }
        #expect(harness.downstream.committed.count == 1)
    }

    /// A copy still deferred at its maximal lifetime fails as expired, and nobody is told.
    @Test func expiredCopiesFailWithoutABounce() async throws {
        let harness = MirrorHarness()
        harness.downstreamPort = try harness.reservePort()
        var retry = RetryPolicy()
        retry.maximalLifetime = retry.minimalBackoff
        let clock = TestClock(advance: .manually)
        try await harness.withMirror(retry: retry, clock: clock) { (port: Int, spool: MailSpool) async throws in
            _ = try await harness.send(to: port, recipients: ["bob@old.test.mirror.invalid"])
            #expect(try await harness.eventually { harness.recordedAttempts == 1 })
            #expect(try spool.entries().first?.states == [.deferred], "young enough for a retry")
            clock.advance(by: Self.pastTheFirstBackoff)
            #expect(try await harness.eventually { try spool.finishedRecords().count == 1 })
            let record = try #require(try spool.finishedRecords().first)
            #expect(record.recipients[0].state == .failed)
            #expect(record.recipients[0].reply.hasPrefix("expired"))
            #expect(try spool.entries().isEmpty)
        }
        #expect(harness.downstream.committed.isEmpty)
    }
}
