import Cutover
import Testing

/// The drain's reading of the old log, over lines in the testbed's shapes: what counts as a
/// sender still arriving at the old host for the moved domains, and what does not.
@Suite struct InboundTrackerTests {
    typealias L = ProofLogBuilder

    static func records(_ lines: [String]) -> MailLogScan { MailLogScan.scan(name: "old", lines: lines, clock: L.clock) }

    func tracker(since: Int = 0) -> InboundTracker {
        InboundTracker(domains: ["Example.com"], since: L.instant(since), ignoredAddresses: ["192.0.2.20"])
    }

    @Test func aMessageForTheDomainsFromTheNetworkIsInbound() {
        var lines = L.accept(10, "mx.old", "AAA111", messageID: "<a@x>", recipients: 1)
        lines.append(L.relayed(11, "mx.old", "AAA111", to: "alice@EXAMPLE.com", next: "NEW1"))
        lines.append(L.removed(11, "mx.old", "AAA111"))
        var tracker = tracker()
        tracker.take(Self.records(lines).records)
        #expect(tracker.last == InboundTracker.Inbound(time: L.instant(10), client: "ext.example[198.51.100.7]"))
    }

    @Test func otherDomainsLoopbackTheNewServerAndMailBeforeTheSwitchDoNotCount() {
        var lines: [String] = []
        // Before the switch (since = 20).
        lines += L.accept(5, "mx.old", "BBB111", messageID: "<b@x>", recipients: 1)
        lines.append(L.relayed(6, "mx.old", "BBB111", to: "alice@example.com", next: "NEW2"))
        // Another domain's mail.
        lines += L.accept(30, "mx.old", "CCC111", messageID: "<c@x>", recipients: 1)
        lines.append(L.relayed(31, "mx.old", "CCC111", to: "bob@other.example", next: "NEW3"))
        // A content filter re-injecting on loopback, and the new server itself.
        lines += L.accept(40, "mx.old", "DDD111", messageID: "<d@x>", recipients: 1, client: "localhost[127.0.0.1]")
        lines.append(L.relayed(41, "mx.old", "DDD111", to: "alice@example.com", next: "NEW4"))
        lines += L.accept(50, "mx.old", "EEE111", messageID: "<e@x>", recipients: 1, client: "mx.new.test[192.0.2.20]")
        lines.append(L.relayed(51, "mx.old", "EEE111", to: "alice@example.com", next: "NEW5"))
        // A scanner that connects and sends nothing.
        lines.append("\(L.time(60)) mx.old postfix/smtpd[100]: connect from scanner.example[203.0.113.9]")
        var tracker = tracker(since: 20)
        tracker.take(Self.records(lines).records)
        #expect(tracker.last == nil)
    }

    @Test func aRefusedRecipientInTheDomainsIsInboundItsSenderWillRetry() {
        let line = "\(L.time(70)) mx.old postfix/smtpd[100]: NOQUEUE: reject: RCPT from ext.example[198.51.100.7]: 450 4.7.1 <carol@example.com>: "
            + "Recipient address rejected: try later; from=<s@ext.example> to=<carol@example.com> proto=ESMTP helo=<ext.example>"
        var tracker = tracker()
        tracker.take(Self.records([line]).records)
        #expect(tracker.last == InboundTracker.Inbound(time: L.instant(70), client: "ext.example[198.51.100.7]"))
    }

    @Test func theLatestCountsAcrossFeedsAndAGapCountsAsInbound() {
        var tracker = tracker()
        var first = L.accept(10, "mx.old", "FFF111", messageID: "<f@x>", recipients: 1)
        first.append(L.relayed(11, "mx.old", "FFF111", to: "alice@example.com", next: "NEW6"))
        // The client= line in one read, its delivery in the next.
        let second = L.accept(30, "mx.old", "GGG111", messageID: "<g@x>", recipients: 1)
        tracker.take(Self.records(first + second).records)
        #expect(tracker.last?.time == L.instant(10))
        tracker.take(Self.records([L.relayed(32, "mx.old", "GGG111", to: "alice@example.com", next: "NEW7")]).records)
        #expect(tracker.last?.time == L.instant(30))
        tracker.take(gaps: [LogGap(log: "old", line: 9, time: L.instant(45), reason: "the logging system dropped lines")])
        #expect(tracker.last?.time == L.instant(45))
        #expect(tracker.last?.client.contains("a gap in the log") == true)
    }

    @Test func theScannerHandsOverNewRecordsOnceAndKeepsAPartialLine() {
        var scanner = MailLogScanner(name: "old", clock: L.clock)
        let line = L.accept(10, "mx.old", "HHH111", messageID: "<h@x>", recipients: 1)[0] + "\n"
        let bytes = Array(line.utf8)
        scanner.feed(bytes[..<20])
        #expect(scanner.takeNew().records.isEmpty)
        scanner.feed(bytes[20...])
        #expect(scanner.takeNew().records.count == 1)
        #expect(scanner.takeNew().records.isEmpty)
    }
}
