import Foundation
import MailModel
import StateStore
import SyncEngine
import SyncTestSupport
import Testing

@Suite struct ConnectionLimiterTests {
    @Test func manyAccountsNeverExceedTheLimitPerServer() async throws {
        let source = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "INBOX.", separator: "."))
        let destination = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "", separator: "/"))
        for folder in 0..<4 {
            source.addFolder("INBOX.f\(folder)")
            for message in 0..<20 { source.deliver("Subject: \(folder)-\(message)\r\n\r\nx\r\n", to: "INBOX.f\(folder)") }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("limit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStateStore(directory: directory)
        let sourceLimiter = ConnectionLimiter(limit: 3)
        let destinationLimiter = ConnectionLimiter(limit: 3)
        var configured = SyncOptions()
        configured.foldersInParallel = 3
        configured.temporaryDirectory = directory + "/tmp"
        let options = configured
        let reports = await withTaskGroup(of: AccountReport.self) { group in
            for account in ["a", "b", "c"] {
                group.addTask {
                    await AccountSync(
                        account: account, source: LimitedSourceStore(InMemoryStore(server: source), limiter: sourceLimiter),
                        destination: LimitedDestinationStore(InMemoryStore(server: destination), limiter: destinationLimiter),
                        stateStore: store, options: options
                    ).run()
                }
            }
            var all: [AccountReport] = []
            for await report in group { all.append(report) }
            return all
        }
        #expect(reports.allSatisfy { $0.outcome == .complete })
        #expect(source.peakSessions <= 3)
        #expect(destination.peakSessions <= 3)
        #expect(source.peakSessions >= 2)
    }

    /// A session that fails gives its connection back: with a limit of one, the next one
    /// still gets in (it would wait forever if the failure kept the connection).
    @Test func aFailedSessionReleasesItsConnection() async throws {
        struct Failure: Error {}
        let limiter = ConnectionLimiter(limit: 1)
        await #expect(throws: Failure.self) { try await limiter.withConnection { () async throws -> Int in throw Failure() } }
        #expect(try await limiter.withConnection { 42 } == 42)
    }
}
