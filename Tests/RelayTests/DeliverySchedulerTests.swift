import MailSpool
import Testing

@testable import Relay

@Suite struct DeliverySchedulerTests {
    static func ids(_ count: Int) -> [QueueID] {
        (0..<count).map { QueueID.make(unixTime: 1_700_000_000 + Double($0)) }
    }

    @Test func freshAndRetriedEntriesAlternate() {
        let scheduler = DeliveryScheduler()
        let ids = Self.ids(4)
        scheduler.addFresh(ids[0])
        scheduler.addFresh(ids[1])
        scheduler.schedule(ids[2], at: nil, now: 0)
        scheduler.schedule(ids[3], at: nil, now: 0)
        scheduler.addFresh(ids[0])  // already queued: once
        #expect((0..<5).map { _ in scheduler.nextIfReady() } == [ids[0], ids[2], ids[1], ids[3], nil])
    }

    @Test func aDeferredEntryWaitsForItsTimeAndAPauseHoldsEverything() {
        let scheduler = DeliveryScheduler()
        let ids = Self.ids(2)
        scheduler.schedule(ids[0], at: 100, now: 50)
        #expect(scheduler.nextIfReady() == nil)
        #expect(scheduler.tick(now: 60) == 100)
        scheduler.pauseDestination(until: 120)
        #expect(scheduler.tick(now: 100) == 120, "due, but the destination is paused")
        scheduler.addFresh(ids[1])
        #expect(scheduler.nextIfReady() == nil)
        #expect(scheduler.tick(now: 121) == nil)
        #expect(Set([scheduler.nextIfReady(), scheduler.nextIfReady()]) == Set([ids[0], ids[1]]))
        scheduler.pauseDestination(until: 200)
        scheduler.destinationIsUp()
        scheduler.addFresh(ids[0])
        #expect(scheduler.nextIfReady() == ids[0])
    }

    /// Workers waiting in `next()` are each handed one entry as entries arrive (a lost
    /// wake-up leaves an entry queued and this test at its time limit), and nil at shutdown.
    @Test(.timeLimit(.minutes(1)))
    func waitingWorkersAreWokenWithOneEntryEach() async {
        let scheduler = DeliveryScheduler()
        let ids = Self.ids(40)
        let (handedOut, handed) = AsyncStream.makeStream(of: QueueID.self)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let id = await scheduler.next() { handed.yield(id) }
                }
            }
            // All four wait first, so that every entry has to wake one.
            while scheduler.waitingWorkers < 4 { await Task.yield() }
            for id in ids { scheduler.addFresh(id) }
            var taken: [QueueID] = []
            for await id in handedOut {
                taken.append(id)
                if taken.count == ids.count { break }
            }
            #expect(Set(taken) == Set(ids), "every entry handed out once")
            #expect(scheduler.nextIfReady() == nil)
            scheduler.shutdown()
        }
        #expect(await scheduler.next() == nil, "after shutdown")
    }
}
