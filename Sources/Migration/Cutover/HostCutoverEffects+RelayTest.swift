import Cutover
import Foundation
import MailferryConfig

/// The `test-relay` step: the hosts' `myhostname`s differ, then the test messages of
/// ``RelayTest`` go each way and both Postfix logs are followed until each is delivered or
/// failed (bounded by `test_relay.timeout`). Afterwards the old host's temporary route is
/// removed and any test message still queued on either host is deleted, whatever the verdict.
extension HostCutoverEffects {
    func testRelay(token: String?) async throws -> CutoverStepOutcome {
        let check = try await HostnameCheck.distinct(old: hosts.oldPostfix, new: hosts.newPostfix)
        guard check.passed else { return .failed(reason: check.description) }
        if let without = config.relayTestWithout {
            return .done(CutoverResult(detail: "\(check.detail); no test messages: \(without)"))
        }
        let test = config.relayTest(token: token ?? UUID().uuidString)
        var logs = try await RelayTestLogs(config: config, hosts: hosts, fromNow: true)
        var verdicts: [RelayTest.Sample: RelayTestEvidence] = [:]
        do {
            try await hosts.oldPostfix.installRelayTestRoute(test)
            for sample in test.samples {
                try await (sample.direction == .oldToNew ? hosts.oldPostfix : hosts.newPostfix).submit(sample, of: test)
            }
            _ = try await clock.poll(every: .milliseconds(250), for: config.relayTestTimeout) {
                verdicts = try await logs.evidence(test)
                return verdicts.values.allSatisfy(\.isFinal)
            }
        } catch {
            _ = try? await cleanUpRelayTest(test, logs: &logs)
            throw error
        }
        let removed = try await cleanUpRelayTest(test, logs: &logs)
        let lines = test.samples.map { sample in
            switch verdicts[sample] ?? .pending("no evidence") {
            case .delivered(let text): "\(sample): delivered (\(text))"
            case .failed(let text): "\(sample): FAILED: \(text)"
            case .pending(let text): "\(sample): no delivery within \(Int(config.relayTestTimeout.components.seconds)) s: \(text)"
            }
        }
        let cleanup = removed.isEmpty ? "" : "; deleted the test messages still queued: \(removed.joined(separator: ", "))"
        guard verdicts.count == test.samples.count, verdicts.values.allSatisfy({ if case .delivered = $0 { true } else { false } }) else {
            return .failed(reason: "relay test \(test.token) to \(test.recipient): " + lines.joined(separator: "; ") + cleanup
                + ". Relayed mail must reach the peer past its inbound policy (a listener of its own, no SPF check, greylisting "
                + "or milter: docs/admin/cutover.md); `cutover run` again repeats the test")
        }
        return .done(CutoverResult(detail: "\(check.detail); relay test \(test.token) to \(test.recipient): " + lines.joined(separator: "; ") + cleanup))
    }

    /// After an interruption of attempt `token`: its test messages all reached their peer
    /// (then the step counts as done), read from the whole logs; the route and queued test
    /// messages are cleaned up either way, so a new attempt starts clean.
    func relayTestHappened(token: String) async throws -> Bool {
        guard config.relayTestWithout == nil else { return false }
        let test = config.relayTest(token: token)
        var logs = try await RelayTestLogs(config: config, hosts: hosts, fromNow: false)
        let verdicts = try await logs.evidence(test)
        try await cleanUpRelayTest(test, logs: &logs)
        return verdicts.count == test.samples.count && verdicts.values.allSatisfy { if case .delivered = $0 { true } else { false } }
    }

    @discardableResult
    private func cleanUpRelayTest(_ test: RelayTest, logs: inout RelayTestLogs) async throws -> [String] {
        try await hosts.oldPostfix.removeRelayTestRoute()
        _ = try await logs.evidence(test)
        let old = try await hosts.oldPostfix.deleteQueuedTestMessages(logs.queued(test, direction: .oldToNew))
        let new = try await hosts.newPostfix.deleteQueuedTestMessages(logs.queued(test, direction: .newToOld))
        return old.map { "old \($0)" } + new.map { "new \($0)" }
    }
}

/// Both Postfix logs as the relay test reads them: incrementally, from where the test began
/// (or, after an interruption, from the rotated file's start), through the proof's parser.
struct RelayTestLogs {
    struct Log {
        var reader: HostLogReader
        var cursor: LogCursor
        var scanner: MailLogScanner
        var records: [MailLogRecord] = []

        init(host: any Cutover.Host, path: String, fromNow: Bool) async throws {
            let reader = HostLogReader(host: host)
            let now = Date().timeIntervalSince1970
            var scanner = MailLogScanner(name: path, clock: LogClock(anchor: LogInstant(microseconds: Int64(now * 1_000_000)),
                                                                     utcOffsetSeconds: Int64(TimeZone.current.secondsFromGMT())))
            if fromNow {
                cursor = try await reader.end(of: path)
            } else {
                _ = try await reader.read(LogCursor(path: path + ".1"), into: &scanner, missingIsGap: false)
                cursor = LogCursor(path: path)
            }
            self.reader = reader
            self.scanner = scanner
        }

        mutating func index() async throws -> PostfixQueueIndex {
            cursor = try await reader.read(cursor, into: &scanner)
            records += scanner.takeNew().records
            return PostfixQueueIndex(MailLogScan(name: cursor.path, records: records))
        }
    }

    var old: Log
    var new: Log
    private(set) var oldIndex = PostfixQueueIndex(MailLogScan(name: "old"))
    private(set) var newIndex = PostfixQueueIndex(MailLogScan(name: "new"))

    init(config: CutoverConfig, hosts: CutoverHosts, fromNow: Bool) async throws {
        // relayTestWithout is nil only with both logs.
        old = try await Log(host: hosts.old, path: config.old.mailLog ?? "", fromNow: fromNow)
        new = try await Log(host: hosts.new, path: config.new.mailLog ?? "", fromNow: fromNow)
    }

    mutating func evidence(_ test: RelayTest) async throws -> [RelayTest.Sample: RelayTestEvidence] {
        oldIndex = try await old.index()
        newIndex = try await new.index()
        var verdicts: [RelayTest.Sample: RelayTestEvidence] = [:]
        for sample in test.samples {
            verdicts[sample] = sample.direction == .oldToNew
                ? RelayTestEvidence.of(sample, sending: oldIndex, sendingName: "old", receiving: newIndex, receivingName: "new")
                : RelayTestEvidence.of(sample, sending: newIndex, sendingName: "new", receiving: oldIndex, receivingName: "old")
        }
        return verdicts
    }

    /// The queue ids the sending host's log gives the test messages of `direction`.
    func queued(_ test: RelayTest, direction: RelayTest.Direction) -> [String: RelayTest.Sample] {
        let index = direction == .oldToNew ? oldIndex : newIndex
        var ids: [String: RelayTest.Sample] = [:]
        for sample in test.samples where sample.direction == direction {
            for message in index.messages where message.messageID == sample.messageID && message.removedAt == nil {
                ids[message.queueID] = sample
            }
        }
        return ids
    }
}
