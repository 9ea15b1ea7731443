import Testing

@testable import Migration

/// Where the forwarder's start and stop sit in the run, and in a rollback.
extension CutoverMachineTests {
    @Test func theForwarderStartsAfterOpenAndStopsAfterTheProof() {
        let upToOpen = throughHold + finished([.finalSync, .verify, .markNewMailboxes, .deliverLocallyOnNew, .relayOldToNew])
        #expect(machine.next(state(upToOpen), now: 0) == .run(.openLogins))
        #expect(machine.next(state(upToOpen + finished([.openLogins])), now: 0) == .run(.startForward))
        #expect(CutoverStep.startForward.phase == .open)
        let proven = upToOpen + finished([.openLogins, .startForward, .drainCheck, .prove])
        #expect(machine.next(state(proven), now: 0) == .run(.stopForward))
        #expect(machine.next(state(proven + finished([.stopForward])), now: 0) == .finished)
        // Never before the new store is open: nothing earlier in the run starts it.
        let forward = machine.remainingForward(state([]))
        #expect(forward.firstIndex(of: .startForward)! > forward.firstIndex(of: .openLogins)!)
        #expect(forward.last == .stopForward)
    }

    /// A rollback that finds the forwarder started stops it first, before the old host holds
    /// again (a rollback after *open* is refused; the order holds for any rollback).
    @Test func aRollbackStopsAStartedForwarderFirst() {
        let events = throughHold + finished([.finalSync, .verify, .deliverLocallyOnNew, .relayOldToNew])
            + [(.startForward, .started(token: nil)), (nil, .rollbackRequested)]
        #expect(machine.rollbackSteps(state(events)).first == .stopForward)
        let without = throughHold + finished([.finalSync, .verify]) + [(.deliverLocallyOnNew, .started(token: nil)), (nil, .rollbackRequested)]
        #expect(!machine.rollbackSteps(state(without)).contains(.stopForward))
    }
}
