import Foundation
import MailModel
import SyncTestSupport
import Testing

@testable import SyncEngine

@Suite struct FolderQueueTests {
    static func mapping(_ name: String, count: Int?) -> FolderMapping {
        FolderMapping(
            source: FolderListing(name: MailboxName(name, separator: "."), messageCount: count),
            destination: MailboxName(name, separator: "/"), reason: .hierarchy, destinationExists: false)
    }

    @Test(arguments: [
        // Counts known (LIST-STATUS): largest first, ties in plan order.
        ([("A", 5), ("INBOX", 10), ("B", 50), ("C", 5)], ["B", "INBOX", "A", "C"]),
        // No counts (Courier): INBOX first, the rest in plan order.
        ([("A", nil), ("B", nil), ("INBOX", nil), ("C", nil)], ["INBOX", "A", "B", "C"]),
        // Mixed: known counts before unknown ones, an unknown INBOX before all.
        ([("A", nil), ("B", 3), ("INBOX", nil), ("C", 7)], ["INBOX", "C", "B", "A"]),
        // INBOX with a known small count is not favoured.
        ([("INBOX", 1), ("A", 2)], ["A", "INBOX"]),
    ] as [([(String, Int?)], [String])])
    func largestFolderFirst(plan: [(String, Int?)], expected: [String]) {
        let order = FolderQueue.workOrder(plan.map { Self.mapping($0.0, count: $0.1) })
        #expect(order.map(\.source.name.name) == expected)
    }

    @Test func theQueueHandsOutFoldersLargestFirst() {
        var queue = FolderQueue(maxAttempts: 1)
        queue.publish([Self.mapping("A", count: 1), Self.mapping("INBOX", count: 9), Self.mapping("B", count: 3)])
        var taken: [String] = []
        while let next = queue.next() { taken.append(next.source.name.name) }
        #expect(taken == ["INBOX", "B", "A"])
    }

    /// Records the order in which folders start.
    final class StartOrder: SyncObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var folders: [String] = []
        var started: [String] { lock.withLock { folders } }
        func handle(_ event: SyncEvent) {
            if case .folderPlanned(_, let folder, _, _) = event { lock.withLock { folders.append(folder) } }
        }
    }

    @Test func anAccountStartsWithItsLargestFolder() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.source.addFolder("INBOX.Archive")
        fixture.source.addFolder("INBOX.Sent")
        for index in 0..<2 { fixture.source.deliver("Subject: \(index)\r\n\r\nbody\r\n") }
        for index in 0..<3 { fixture.source.deliver("Subject: sent \(index)\r\n\r\nbody\r\n", to: "INBOX.Sent") }
        fixture.source.deliver("Subject: old\r\n\r\nbody\r\n", to: "INBOX.Archive")
        fixture.options.foldersInParallel = 1
        let observer = StartOrder()
        let report = try await fixture.sync(observer: observer)
        #expect(report.outcome == .complete)
        #expect(observer.started == ["INBOX.Sent", "INBOX", "INBOX.Archive"])
    }
}
