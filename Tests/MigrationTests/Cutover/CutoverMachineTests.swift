import Testing

@testable import Migration

/// The phase machine's decisions, one table row each.
@Suite struct CutoverMachineTests {
    let machine = CutoverMachine(smallDelta: 10, maxRounds: 3)

    func state(_ events: [(CutoverStep?, CutoverEvent)]) -> CutoverState {
        CutoverState(records: events.enumerated().map { CutoverRecord(sequence: $0 + 1, at: Double($0), step: $1.0, event: $1.1) })
    }

    func finished(_ steps: [CutoverStep], copied: [CutoverStep: Int] = [:]) -> [(CutoverStep?, CutoverEvent)] {
        steps.flatMap { step -> [(CutoverStep?, CutoverEvent)] in
            [(step, .started(token: step.isIdempotent ? nil : "t")), (step, .finished(CutoverResult(copied: copied[step])))]
        }
    }

    @Test func startsWithTheMirrorPhase() {
        #expect(machine.next(state([]), now: 0) == .run(.closeNewLogins))
    }

    @Test(arguments: [
        ([500], CutoverStep.presync(round: 2)),
        ([500, 11], .presync(round: 3)),
        ([500, 10], .stopOldIMAP),
        ([500, 400, 300], .stopOldIMAP),
    ])
    func presyncRepeatsUntilTheDeltaIsSmallOrTheRoundsRunOut(copied: [Int], next: CutoverStep) {
        let rounds = copied.indices.map { CutoverStep.presync(round: $0 + 1) }
        let counts = Dictionary(uniqueKeysWithValues: zip(rounds, copied))
        #expect(machine.next(state(finished(CutoverMachine.beforePresync + rounds, copied: counts)), now: 0) == .run(next))
    }

    @Test func anInterruptedTestRelayIsReconciledNotRepeated() {
        let events = finished([.closeNewLogins, .relayNewToOld, .checkMirror]) + [(CutoverStep.testRelay, CutoverEvent.started(token: "abc"))]
        #expect(machine.next(state(events), now: 0) == .reconcile(.testRelay, token: "abc"))
    }

    @Test func anInterruptedIdempotentStepRunsAgain() {
        let events = finished(CutoverMachine.beforePresync + [.presync(round: 1)], copied: [.presync(round: 1): 3])
            + [(CutoverStep.enterHold, CutoverEvent.started(token: nil))]
        let withIMAP = finished(CutoverMachine.beforePresync + [.presync(round: 1), .stopOldIMAP], copied: [.presync(round: 1): 3])
            + [(CutoverStep.enterHold, CutoverEvent.started(token: nil))]
        #expect(machine.next(state(events), now: 0) == .run(.stopOldIMAP))
        #expect(machine.next(state(withIMAP), now: 0) == .run(.enterHold))
    }

    var throughHold: [(CutoverStep?, CutoverEvent)] {
        finished(CutoverMachine.beforePresync + [.presync(round: 1), .stopOldIMAP, .enterHold, .verifyHold, .purgeMirrorCopies, .quietStore],
                 copied: [.presync(round: 1): 0])
    }

    @Test func aFailedVerifyStaysInTheHoldAndRedoesTheFinalDelta() {
        let events = throughHold + finished([.finalSync]) + [(.verify, .started(token: nil)), (.verify, .failed(reason: "1 missing"))]
        let after = state(events)
        #expect(after.phase == .finalDelta)
        #expect(after.failure?.reason == "1 missing")
        #expect(machine.next(after, now: 0) == .run(.finalSync))
        #expect(machine.rollbackSteps(after) == [.rollbackRestoreOld, .rollbackStartOldIMAP])
    }

    @Test func theDrainWaitsUntilItsRecheckTime() {
        let upToDrain = throughHold + finished([.finalSync, .verify, .markNewMailboxes, .deliverLocallyOnNew, .relayOldToNew, .openLogins, .startForward])
        let waiting = state(upToDrain + [(.drainCheck, .started(token: nil)), (.drainCheck, .notYet(detail: "queue: 3", retryAfter: 60))])
        let at = Double(upToDrain.count + 1)
        #expect(machine.next(waiting, now: at + 10) == .wait(.drainCheck, until: at + 60, detail: "queue: 3"))
        #expect(machine.next(waiting, now: at + 60) == .run(.drainCheck))
    }

    @Test func rollbackFromTheSwitchHoldsTheOldHostBeforeTheNewOneRelaysBack() {
        let events = throughHold + finished([.finalSync, .verify]) + [(.deliverLocallyOnNew, .started(token: nil)), (nil, .rollbackRequested)]
        let requested = state(events)
        #expect(machine.rollbackRefusal(requested) == nil)
        #expect(machine.rollbackSteps(requested)
                == [.rollbackHoldOld, .rollbackRelayNewToOld, .rollbackCopyBack, .rollbackRestoreOld, .rollbackStartOldIMAP])
        #expect(machine.next(requested, now: 0) == .run(.rollbackHoldOld))
        let done = state(events + finished(machine.rollbackSteps(requested)))
        #expect(machine.next(done, now: 0) == .rolledBack)
        #expect(done.phase == .rollback)
    }

    @Test func rollbackBeforeTheHoldHasNothingToUndo() {
        let requested = state(finished(CutoverMachine.beforePresync) + [(nil, .rollbackRequested)])
        #expect(machine.rollbackSteps(requested).isEmpty)
        #expect(machine.next(requested, now: 0) == .rolledBack)
    }

    @Test func rollbackAfterOpenIsRefusedWithTheReason() {
        let events = throughHold + finished([.finalSync, .verify, .deliverLocallyOnNew, .relayOldToNew]) + [(.openLogins, .started(token: nil))]
        let reason = machine.rollbackRefusal(state(events))
        #expect(reason?.contains("no Dovecot -> Courier path") == true)
    }

    @Test func stepNamesRoundTrip() {
        for step in CutoverStep.fixed + [.presync(round: 1), .presync(round: 12)] {
            #expect(CutoverStep(name: step.name) == step)
        }
        #expect(CutoverStep(name: "presync-0") == nil)
        #expect(CutoverStep(name: "nonsense") == nil)
    }
}
