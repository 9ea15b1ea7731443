import Foundation
import MailModel
import Testing

@testable import SyncEngine

@Suite struct BatchPlannerTests {
    static func summaries(_ sizes: [Int]) -> [MessageSummary] {
        sizes.enumerated().map { MessageSummary(uid: UID(exactly: UInt32($0.offset + 1)), flags: [], internalDate: nil, size: $0.element) }
    }

    static func options(messages: Int, bytes: Int, threshold: Int = 256 * 1024) -> SyncOptions {
        var options = SyncOptions()
        options.batchMessages = messages
        options.batchBytes = bytes
        options.memoryThreshold = threshold
        return options
    }

    static func staged(_ sizes: [Int]) -> [StagedMessage] {
        sizes.enumerated().map { index, size in
            StagedMessage(
                uid: UID(exactly: UInt32(index + 1)), body: .memory([UInt8](repeating: 0, count: size)),
                fingerprint: MessageFingerprint.of([]), headerPrefix: [])
        }
    }

    /// Batch lengths with sizes known: filled up to the byte limit, a larger message alone.
    @Test(arguments: [
        ([10, 10, 10, 10], 3, 100, [3, 1]),
        ([60, 50, 10], 50, 100, [1, 2]),
        ([500, 10, 10], 50, 100, [1, 2]),
        ([10, 500, 10], 50, 100, [1, 1, 1]),
        ([0, 0, 0], 2, 100, [2, 1]),
    ] as [([Int], Int, Int, [Int])])
    func withSizesKnown(sizes: [Int], maxMessages: Int, maxBytes: Int, expected: [Int]) {
        var planner = BatchPlanner(Self.summaries(sizes), sizesKnown: true, options: Self.options(messages: maxMessages, bytes: maxBytes))
        var lengths: [Int] = []
        while case let batch = planner.next(), !batch.isEmpty { lengths.append(batch.count) }
        #expect(lengths == expected)
        #expect(planner.isFinished)
    }

    @Test func withoutSizesTheFirstBatchAssumesATypicalMessage() {
        var planner = BatchPlanner(Self.summaries(Array(repeating: 0, count: 100)), sizesKnown: false, options: Self.options(messages: 50, bytes: 128 * 1024))
        #expect(planner.next().count == 128 * 1024 / BatchPlanner.assumedSize)
    }

    @Test func withoutSizesBatchesFollowTheAverageFetchedSoFar() {
        var planner = BatchPlanner(Self.summaries(Array(repeating: 0, count: 200)), sizesKnown: false, options: Self.options(messages: 50, bytes: 100_000))
        let first = planner.next()
        planner.observe(Self.staged(Array(repeating: 10_000, count: first.count)))
        #expect(planner.next().count == 10, "100 KB at 10 KB each")
        planner.observe(Self.staged(Array(repeating: 1_000, count: 10)))
        // Seen: first.count × 10 KB + 10 × 1 KB.
        let average = (first.count * 10_000 + 10_000) / (first.count + 10)
        #expect(planner.next().count == min(50, 100_000 / average))
        planner.observe(Self.staged(Array(repeating: 100, count: 200)))
        #expect(planner.next().count == 50, "never more than the message limit")
    }

    @Test func messagesStagedInFilesDoNotShrinkTheBatches() {
        var planner = BatchPlanner(
            Self.summaries(Array(repeating: 0, count: 100)), sizesKnown: false, options: Self.options(messages: 50, bytes: 100_000, threshold: 50_000))
        _ = planner.next()
        planner.observe(Self.staged([25_000_000, 5_000, 5_000]))
        #expect(planner.next().count == 20, "the 25 MB message went to a file: the average is 5 KB")
    }

    @Test func withoutSizesEveryMessageIsHandedOutOnceInOrder() {
        var planner = BatchPlanner(Self.summaries(Array(repeating: 0, count: 37)), sizesKnown: false, options: Self.options(messages: 5, bytes: 1))
        var uids: [UID] = []
        for _ in 0..<100 {
            let batch = planner.next()
            if batch.isEmpty { break }
            #expect(batch.count == 1, "1 byte allows one message per batch")
            uids += batch.map(\.uid)
        }
        #expect(uids == Self.summaries(Array(repeating: 0, count: 37)).map(\.uid))
    }
}
