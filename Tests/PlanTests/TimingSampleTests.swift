import Foundation
import Logging
import MailModel
import MailTestSupport
import Testing

@testable import Plan

@Suite struct TimingSampleTests {
    @Test("the sample takes the largest accounts that were read, as many as asked; 0 turns it off")
    func choice() throws {
        let plans = [
            AccountPlan(account: "small", sourceMessages: 1, sourceBytes: 10),
            AccountPlan(account: "broken", sourceError: "login failed"),
            AccountPlan(account: "big", sourceMessages: 5, sourceBytes: 900),
            AccountPlan(account: "mid", sourceMessages: 3, sourceBytes: 300),
        ]
        let two = try #require(TimingSample(accounts: 2))
        #expect(two.chosen(plans).map { plans[$0].account } == ["big", "mid"])
        #expect(try #require(TimingSample(accounts: 9)).chosen(plans).map { plans[$0].account } == ["big", "mid", "small"])
        #expect(TimingSample(accounts: 0) == nil)
    }

    @Test("bodies are fetched in batches bounded by count and size, a large message alone")
    func batches() throws {
        let sample = try #require(TimingSample(accounts: 1, batchMessages: 2, batchBytes: 100))
        let summaries = [10, 20, 30, 150, 40].enumerated().map { MessageSummary(uid: UID(exactly: UInt32($0.offset + 1)), flags: [], internalDate: nil, size: $0.element) }
        #expect(sample.batches(summaries).map { $0.map(\.rawValue) } == [[1, 2], [3], [4], [5]])
    }
}

/// The timed sample against the testbed's Courier: what it reads, that it changes no flag,
/// and its time budget on an injected clock.
@Suite("plan timed sample against the testbed", .tags(.integration), .requiresTestbed)
struct TimingSampleTestbedTests {
    /// An account on the old server with `count` messages in INBOX (none seen) and one seen
    /// in INBOX.Archive; its config, and the bytes Courier serves.
    static func account(_ testbed: Testbed, count: Int, in directory: String) async throws -> (path: String, user: TestbedUser, bytes: Int) {
        let user = try await testbed.makeAccount(prefix: "plansample")
        let session = try await IMAPTestSession(testbed.old.imap)
        await #expect(try session.login(user.name, user.password()).isOK)
        await #expect(try session.command("CREATE INBOX.Archive").isOK)
        var bytes = 0
        for index in 0..<count {
            let message = Array("Subject: sample \(index)\r\n\r\n\(String(repeating: "body line \(index)\r\n", count: 20 * (index + 1)))".utf8)
            await #expect(try session.append(to: "INBOX", message).isOK)
            bytes += message.count
        }
        let archived = Array("Subject: archived\r\n\r\nalready read\r\n".utf8)
        await #expect(try session.append(to: "INBOX.Archive", flags: "\\Seen", archived).isOK)
        try await session.command("LOGOUT")
        let path = try AccountCheckTests.config(testbed, in: directory, """
            [[accounts]]
            user = "\(user.name)"
            password_file = "\(user.passwordFile)"
            """)
        return (path, user, bytes + archived.count)
    }

    static func directory() throws -> String {
        let directory = NSTemporaryDirectory() + "mailferry-sample-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        return directory
    }

    /// Each message's flags in `folder`, as Courier lists them.
    static func flags(_ testbed: Testbed, _ user: TestbedUser, _ folder: String) async throws -> [String] {
        let session = try await IMAPTestSession(testbed.old.imap)
        await #expect(try session.login(user.name, user.password()).isOK)
        await #expect(try session.command("SELECT \"\(folder)\"").isOK)
        let fetched = try await session.command("FETCH 1:* (FLAGS)")
        try await session.command("LOGOUT")
        return fetched.untagged.filter { $0.contains("FETCH") }
    }

    @Test("the sample reads every body and its bytes, times an incremental pass, and leaves \\Seen alone")
    func readsEverything() async throws {
        let testbed = try Testbed.require()
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try await Self.account(testbed, count: 5, in: directory)
        let check = try PlanRunner.accountCheck(configPath: made.path, logger: Logger(label: "test"), sample: TimingSample(accounts: 3))
        let result = await check.run()
        let plan = try #require(result.accounts.first)
        let sample = try #require(plan.sample, "\(result.findings)")
        #expect(sample.error == nil && sample.complete)
        #expect(sample.messagesRead == 6 && sample.bytesRead == made.bytes && plan.sourceBytes == made.bytes, "\(sample)")
        #expect(sample.folders == 2 && sample.incrementalSeconds != nil && sample.readSeconds > 0)
        let inbox = try await Self.flags(testbed, made.user, "INBOX")
        #expect(inbox.count == 5 && !inbox.contains { $0.contains("\\Seen") }, "\(inbox)")
        let archive = try await Self.flags(testbed, made.user, "INBOX.Archive")
        #expect(archive.count == 1 && archive[0].contains("\\Seen"), "\(archive)")
        let freeze = try #require(FreezeEstimate.estimate(accounts: result.accounts, parallel: 1, deltaMessages: 50, maildirDestination: false))
        #expect(freeze.bulkCopy?.measured == true && freeze.sampleFallback == nil)
    }

    @Test("a spent time budget stops the read after the first batch and no other account begins")
    func budget() async throws {
        let testbed = try Testbed.require()
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try await Self.account(testbed, count: 5, in: directory)
        let check = try PlanRunner.accountCheck(configPath: made.path, logger: Logger(label: "test"))
        var plans = await check.run().accounts
        // The account twice: the second must not begin once the budget is spent.
        let jobs = check.jobs + check.jobs
        plans += plans.map { var copy = $0; copy.account += "-again"; copy.sourceBytes = (copy.sourceBytes ?? 1) - 1; return copy }
        // A clock that never moves: a zero budget is spent from the start, a positive one never.
        let spent = try #require(TimingSample(accounts: 2, budget: .zero, batchMessages: 2))
        await spent.run(jobs: jobs, plans: &plans, clock: TestClock(advance: .manually))
        let first = try #require(plans[0].sample)
        // One batch: two messages of INBOX, or INBOX.Archive's one when Courier lists it first.
        #expect((1...2).contains(first.messagesRead) && first.bytesRead > 0 && !first.complete && first.incrementalSeconds != nil, "\(first)")
        #expect(plans[1].sample == nil)
        let ample = try #require(TimingSample(accounts: 1, budget: .seconds(30), batchMessages: 2))
        plans[0].sample = nil
        await ample.run(jobs: jobs, plans: &plans, clock: TestClock(advance: .manually))
        #expect(plans[0].sample?.messagesRead == 6 && plans[0].sample?.complete == true)
    }
}
