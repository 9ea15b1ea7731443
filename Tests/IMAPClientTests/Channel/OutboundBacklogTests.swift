@testable import IMAPClient
import Testing

/// The writer of a connection waits while more than the high-water mark is queued for the
/// socket, goes on once completions bring it down to the low-water mark, and never waits
/// on a channel that is gone.
@Suite struct OutboundBacklogTests {
    @Test func belowTheHighWaterMarkTheWriterGoesOn() async {
        let backlog = OutboundBacklog(highWater: 100, lowWater: 10)
        backlog.add(100)
        await backlog.waitForRoom()
        #expect(backlog.bytes == 100)
    }

    @Test func aboveItTheWriterWaitsForTheLowWaterMark() async {
        let backlog = OutboundBacklog(highWater: 100, lowWater: 10)
        backlog.add(150)
        async let waited: Void = backlog.waitForRoom()
        // Completions that leave more than the low-water mark do not release the writer;
        // the one that reaches it does (if the writer had not started waiting yet, it finds
        // the backlog low and goes on at once: either order ends the same).
        backlog.complete(100)
        #expect(backlog.bytes == 50)
        backlog.complete(40)
        await waited
        #expect(backlog.bytes == 10)
    }

    @Test func aClosedChannelReleasesTheWriterAndIgnoresLateCompletions() async {
        let backlog = OutboundBacklog(highWater: 100, lowWater: 10)
        backlog.add(500)
        async let waited: Void = backlog.waitForRoom()
        backlog.drop()
        await waited
        backlog.complete(500)  // a write failed with the channel: no negative backlog
        backlog.add(1_000)
        await backlog.waitForRoom()  // nothing will ever complete: must not wait
        #expect(backlog.bytes == 0)
    }
}
