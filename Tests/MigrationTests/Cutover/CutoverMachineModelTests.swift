import Foundation
import MailTestSupport
import StateStore
import Synchronization
import Testing

@testable import Migration

/// The phase machine under kill -9 at any point: each process of the model dies at a random
/// journal write or effect boundary (before or after the record, before or after the
/// effect), and a new runner resumes from the journal. Seeded; each run prints its seed and
/// `MAILFERRY_CUTOVER_SEED` replays one.
@Suite struct CutoverMachineModelTests {
    static let machine = CutoverMachine(smallDelta: 10, maxRounds: 4)
    /// Wall-clock seconds at the test clock's t+0: the journal's times are start + time waited.
    static let start: Double = 1_800_000_000

    static func seeds(_ count: Int) -> [UInt64] {
        if let seed = ProcessInfo.processInfo.environment["MAILFERRY_CUTOVER_SEED"].flatMap(UInt64.init) { return [seed] }
        let base = UInt64.random(in: 1...UInt64.max / 2)
        print("CutoverMachineModelTests seeds \(base)..\(base + UInt64(count) - 1) (MAILFERRY_CUTOVER_SEED=N replays one)")
        return (0..<UInt64(count)).map { base + $0 }
    }

    /// The forward run converges under kills: it finishes, every step's effect completed
    /// before the journal says the step finished and in the machine's order (none skipped),
    /// the test relay sent exactly one message, and the presync rounds obey the delta rule.
    @Test func resumeAfterKillsAlwaysConvergesWithoutSkippingOrRepeating() async throws {
        for seed in Self.seeds(200) {
            var random = SeededRandom(seed: seed)
            let world = ModelWorld(pending: 500 + random.next(below: 500), arrivals: (0..<6).map { _ in random.next(below: 40) },
                                   drainChecks: random.next(below: 3), verifyFailures: random.next(below: 2))
            let journal = ModelJournal()
            let clock = TestClock(advance: .onSleep)
            let outcome = try await Self.runToEnd(world: world, journal: journal, clock: clock, random: &random, seed: seed)
            #expect(outcome == .finished, "seed \(seed)")
            let records = try await journal.records()
            try Self.checkInvariants(records: records, world: world, seed: seed)
        }
    }

    /// Rollback requested at a random point before *open*: the rollback finishes under kills,
    /// the old host holds again before the new one relays back, and old IMAP starts last.
    @Test func rollbackUnderKillsHoldsBeforeRelayingBack() async throws {
        for seed in Self.seeds(100) {
            var random = SeededRandom(seed: seed)
            let world = ModelWorld(pending: 100, arrivals: [5], drainChecks: 0, verifyFailures: 0)
            let journal = ModelJournal()
            let clock = TestClock(advance: .onSleep)
            // Forward without kills; the journal is then cut after a random step before open.
            let forward = CutoverMachine.beforePresync + [.presync(round: 1), .presync(round: 2)] + CutoverMachine.afterPresync
            let stopAt = forward[random.next(below: forward.firstIndex(of: .openLogins)!)]
            #expect(try await Self.runner(world: world, journal: journal, clock: clock).run() == .finished)
            let partial = ModelJournal()
            for record in try await journal.records() {
                try await partial.append(step: record.step, event: record.event, at: record.at)
                if record.step == stopAt, case .finished = record.event { break }
            }
            let reached = CutoverState(records: try await partial.records())
            let rollbackWorld = ModelWorld(pending: 0, arrivals: [], drainChecks: 0, verifyFailures: 0)
            #expect(try await Self.runner(world: rollbackWorld, journal: partial, clock: clock).requestRollback() == nil, "seed \(seed)")
            let outcome = try await Self.runToEnd(world: rollbackWorld, journal: partial, clock: clock, random: &random, seed: seed)
            #expect(outcome == .rolledBack, "seed \(seed)")
            let done = rollbackWorld.contents.withLock { $0.completed }
            let expected = Self.machine.rollbackSteps(reached)
            #expect(Self.firstOccurrences(done) == expected, "seed \(seed): stopped after \(stopAt)")
            if let hold = done.firstIndex(of: .rollbackHoldOld), let relay = done.firstIndex(of: .rollbackRelayNewToOld) {
                #expect(hold < relay, "seed \(seed)")
            }
            if reached.isFinished(.enterHold) || reached.inFlight?.step == .enterHold {
                #expect(done.last == .rollbackStartOldIMAP, "seed \(seed)")
            }
        }
    }

    /// Runs processes until one ends without being killed; each dies at a random point
    /// (every third one is left alone, so the run is bounded). Returns the last outcome.
    static func runToEnd(
        world: ModelWorld, journal: ModelJournal, clock: TestClock, random: inout SeededRandom, seed: UInt64
    ) async throws -> CutoverRunner<TestClock>.Outcome {
        for process in 0..<200 {
            let fuse = Fuse(budget: process % 3 == 2 ? nil : random.next(below: 12))
            world.fuse.withLock { $0 = fuse }
            journal.fuse.withLock { $0 = fuse }
            do {
                let outcome = try await runner(world: world, journal: journal, clock: clock).run()
                if case .stopped = outcome { continue }
                world.fuse.withLock { $0 = Fuse(budget: nil) }
                journal.fuse.withLock { $0 = Fuse(budget: nil) }
                return outcome
            } catch is Killed {
                continue
            }
        }
        Issue.record("seed \(seed): no convergence in 200 processes")
        return .refused(reason: "no convergence")
    }

    static func runner(world: ModelWorld, journal: ModelJournal, clock: TestClock) -> CutoverRunner<TestClock> {
        CutoverRunner(machine: machine, journal: journal, effects: world, clock: clock, now: { Self.start + clock.now.seconds },
                      makeToken: { UUID().uuidString })
    }

    static func firstOccurrences(_ steps: [CutoverStep]) -> [CutoverStep] {
        var seen = Set<CutoverStep>()
        return steps.filter { seen.insert($0).inserted }
    }

    static func checkInvariants(records: [CutoverRecord], world: ModelWorld, seed: UInt64) throws {
        let contents = world.contents.withLock { $0 }
        let state = CutoverState(records: records)
        let finishedOrder = state.finished.map(\.step)
        // No step skipped: the journal's finished steps are the machine's sequence exactly.
        let rounds = state.presyncRounds
        let expected = CutoverMachine.beforePresync + rounds.map { CutoverStep.presync(round: $0.round) } + CutoverMachine.afterPresync
        #expect(finishedOrder == expected, "seed \(seed)")
        #expect(rounds.map(\.round) == Array(1...max(1, rounds.count)), "seed \(seed)")
        // The delta rule: every round but the last copied more than small_delta; the last
        // copied at most that, or the rounds ran out.
        for round in rounds.dropLast() { #expect(round.copied > machine.smallDelta, "seed \(seed)") }
        if let last = rounds.last { #expect(last.copied <= machine.smallDelta || rounds.count == machine.maxRounds, "seed \(seed)") }
        // Each finished step's effect completed in the world, and the first completions come
        // in the journal's order.
        #expect(firstOccurrences(contents.completed.filter { finishedOrder.contains($0) }) == finishedOrder, "seed \(seed)")
        // No effect began before every step before it in the sequence had completed once.
        for (index, step) in contents.begun.enumerated() {
            guard let position = expected.firstIndex(of: step) else { continue }
            let completedBefore = Set(contents.completed.prefix(index))
            for earlier in expected.prefix(position) where !completedBefore.contains(earlier) {
                Issue.record("seed \(seed): \(step) began before \(earlier) completed")
            }
        }
        // The non-idempotent step ran exactly once.
        #expect(contents.sent.count == 1, "seed \(seed): \(contents.sent.count) test messages sent")
        // A failed verify was followed by another final sync before the verify that passed.
        if records.contains(where: { $0.step == .verify && { if case .failed = $0.event { true } else { false } }($0) }) {
            let lastSync = contents.completed.lastIndex(of: .finalSync)!
            let lastVerify = contents.completed.lastIndex(of: .verify)!
            #expect(lastSync < lastVerify, "seed \(seed)")
            #expect(contents.completed.filter { $0 == .finalSync }.count >= 2, "seed \(seed)")
        }
    }
}

/// The same kills with the real journal: SQLite in a temporary directory, reopened by each
/// new "process", so what survives a kill is what the state store committed.
extension CutoverMachineModelTests {
    /// Writes through the fuse like ``ModelJournal``, into the state store.
    struct FusedStateJournal: CutoverJournal {
        let inner: StateCutoverJournal
        let fuse: Fuse

        func records() async throws -> [CutoverRecord] { try await inner.records() }

        func append(step: CutoverStep?, event: CutoverEvent, at: Double) async throws -> CutoverRecord {
            try fuse.tick()
            let record = try await inner.append(step: step, event: event, at: at)
            try fuse.tick()
            return record
        }
    }

    @Test func resumeFromTheStateStoreAfterKillsConverges() async throws {
        for seed in Self.seeds(6) {
            var random = SeededRandom(seed: seed)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-model-\(seed)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let world = ModelWorld(pending: 300, arrivals: [40, 20, 5], drainChecks: 1, verifyFailures: random.next(below: 2))
            let clock = TestClock(advance: .onSleep)
            var outcome: CutoverRunner<TestClock>.Outcome?
            for process in 0..<200 where outcome == nil {
                let fuse = Fuse(budget: process % 3 == 2 ? nil : random.next(below: 12))
                world.fuse.withLock { $0 = fuse }
                let journal = FusedStateJournal(
                    inner: StateCutoverJournal(store: try SQLiteStateStore(directory: directory), run: "model"), fuse: fuse)
                let runner = CutoverRunner(machine: Self.machine, journal: journal, effects: world, clock: clock, now: { Self.start + clock.now.seconds },
                                           makeToken: { UUID().uuidString })
                do {
                    let result = try await runner.run()
                    if case .stopped = result { continue }
                    outcome = result
                } catch is Killed {
                    continue
                }
            }
            #expect(outcome == .finished, "seed \(seed)")
            world.fuse.withLock { $0 = Fuse(budget: nil) }
            let records = try await StateCutoverJournal(store: try SQLiteStateStore(directory: directory), run: "model").records()
            try Self.checkInvariants(records: records, world: world, seed: seed)
        }
    }
}
