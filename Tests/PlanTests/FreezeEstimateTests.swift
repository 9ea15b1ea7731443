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
        #expect(estimate.assumptions.count == 3 && estimate.assumptions[0].contains("3 accounts") && estimate.assumptions[1].contains("50 messages"))
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
}
