import Testing

@testable import Plan

@Suite struct FreezeEstimateTests {
    static func account(_ name: String, seconds: Double?, messages: Int = 1000, bytes: Int = 50_000_000) -> AccountPlan {
        var plan = AccountPlan(account: name, sourceMessages: messages, sourceBytes: bytes)
        plan.readSeconds = seconds
        return plan
    }

    @Test("the scan spreads over the jobs but never below the slowest account; the delta copies small_delta messages of the average size")
    func arithmetic() throws {
        let accounts = [Self.account("a", seconds: 2), Self.account("b", seconds: 2), Self.account("c", seconds: 8)]
        let estimate = try #require(FreezeEstimate.estimate(accounts: accounts, parallel: 2, deltaMessages: 50, maildirDestination: false))
        #expect(estimate.scanSeconds == 8)
        // 50 messages of 50 kB: 50 at 830 per second takes longer than 2.5 MB at 54 MB/s.
        #expect(abs(estimate.copySeconds - 50.0 / 830) < 1e-9)
        let big = [Self.account("a", seconds: 1, messages: 10, bytes: 2_000_000)]
        // 50 messages of 200 kB: 10 MB at 54 MB/s takes longer than 50 at 830 per second.
        let bytesBound = try #require(FreezeEstimate.estimate(accounts: big, parallel: 2, deltaMessages: 50, maildirDestination: false))
        #expect(abs(bytesBound.copySeconds - 10_000_000.0 / 54_000_000) < 1e-9)
        #expect(estimate.reloadSeconds == FreezeEstimate.reloads)
        #expect(estimate.assumptions.count == 4 && estimate.assumptions[0].contains("3 accounts") && estimate.assumptions[1].contains("50 messages"))
        #expect(estimate.finding.severity == .ok)
        let spread = try #require(FreezeEstimate.estimate(accounts: accounts, parallel: 1, deltaMessages: 0, maildirDestination: true))
        #expect(spread.scanSeconds == 12 && spread.copySeconds == 0)
    }

    @Test("accounts that could not be read are named in the assumptions; none read gives no estimate; a long freeze is a warning")
    func edges() throws {
        #expect(FreezeEstimate.estimate(accounts: [Self.account("a", seconds: nil)], parallel: 4, deltaMessages: 50, maildirDestination: false) == nil)
        let long = try #require(FreezeEstimate.estimate(accounts: [Self.account("a", seconds: 90), Self.account("b", seconds: nil)],
                                                        parallel: 4, deltaMessages: 50, maildirDestination: false))
        #expect(long.assumptions.last == "1 account could not be read and is not counted")
        #expect(long.finding.severity == .warning && long.finding.action?.contains("small_delta") == true)
    }

    /// Fixture: two sampled accounts (one stopped by the time budget), one not sampled, one unread.
    static var sampled: [AccountPlan] {
        var a = Self.account("a", seconds: 3, messages: 100, bytes: 10_000_000)
        a.sample = AccountSample(folders: 2, incrementalSeconds: 1, messagesRead: 100, bytesRead: 10_000_000, readSeconds: 2, complete: true)
        var b = Self.account("b", seconds: 5, messages: 400, bytes: 30_000_000)
        b.sample = AccountSample(folders: 3, incrementalSeconds: 3, messagesRead: 100, bytesRead: 5_000_000, readSeconds: 1, complete: false)
        return [a, b, Self.account("c", seconds: 1, messages: 10, bytes: 1_000_000), Self.account("d", seconds: nil)]
    }

    @Test("with a sample: the bulk copy at the measured read rate over the jobs, the scan from the timed incremental passes")
    func scaledFromSample() throws {
        let estimate = try #require(FreezeEstimate.estimate(accounts: Self.sampled, parallel: 2, deltaMessages: 50, maildirDestination: false))
        let bulk = try #require(estimate.bulkCopy)
        // 15 MB and 200 messages read in 3 s: 5 MB/s and 66.7 messages/s over one connection.
        #expect(bulk.measured && bulk.bytesPerSecond == 5_000_000 && abs(bulk.messagesPerSecond - 200.0 / 3) < 1e-9)
        // a 2 s, b 6 s, c 0.2 s, two at a time: b alone is longer than the 8.2 s spread over two.
        #expect(abs(bulk.seconds - 6) < 1e-9 && bulk.parallel == 2 && bulk.bytes == 41_000_000 && bulk.messages == 510)
        // Incremental passes a 1 s and b 3 s; c at their 2 s average: 6 s over two, b's 3 s alone.
        #expect(estimate.scanSeconds == 3)
        // 50 messages of 41 MB / 510 at 5 MB/s take longer than 50 at 66.7 per second.
        #expect(abs(estimate.copySeconds - 50 * (41_000_000.0 / 510) / 5_000_000) < 1e-9)
        #expect(estimate.sampleFallback == nil && !estimate.sampleFailed)
        let findings = estimate.findings
        #expect(findings.map(\.subject) == ["bulk copy", "freeze"] && findings.allSatisfy { $0.severity == .ok })
        let text = findings[0].message
        #expect(text.contains("at least 6.0 s") && text.contains("2 sampled accounts") && text.contains("lower bound")
                && text.contains("scaled from what was read") && text.contains("2 accounts at a time"), "\(text)")
        #expect(estimate.assumptions[0].contains("timed on 2 sampled accounts") && estimate.assumptions[0].contains("the other account counted"))
        #expect(BulkCopyEstimate.format(5400) == "1.5 h" && BulkCopyEstimate.format(600) == "10 min" && BulkCopyEstimate.format(12) == "12 s")
    }

    @Test("without a sample, or when it failed, the benchmark rates stand and the findings say why")
    func fallback() throws {
        let off = Self.sampled.map { var plan = $0; plan.sample = nil; return plan }
        let estimate = try #require(FreezeEstimate.estimate(accounts: off, parallel: 2, deltaMessages: 50, maildirDestination: false))
        let bulk = try #require(estimate.bulkCopy)
        #expect(!bulk.measured && bulk.bytesPerSecond == FreezeEstimate.imapRate.bytesPerSecond)
        // b alone: its bytes at imapRate's byte rate take longer than its messages at its message rate.
        #expect(abs(bulk.seconds - 30_000_000.0 / 54_000_000) < 1e-9)
        #expect(estimate.scanSeconds == 5 && estimate.sampleFallback == "no account was sampled (--sample-accounts 0)")
        #expect(estimate.findings[0].message.contains("docs/benchmarks.md") && estimate.findings[1].message.contains("no timed sample"))
        var broken = Self.sampled
        broken[0].sample = AccountSample(error: "connection reset")
        broken[1].sample = nil
        let failed = try #require(FreezeEstimate.estimate(accounts: broken, parallel: 2, deltaMessages: 50, maildirDestination: true))
        #expect(failed.sampleFailed && failed.sampleFallback == "the sample failed on a: connection reset")
        #expect(failed.bulkCopy?.bytesPerSecond == FreezeEstimate.maildirRate.bytesPerSecond)
        #expect(failed.findings[0].severity == .warning && failed.findings[0].message.contains("the sample failed on a"))
    }
}
