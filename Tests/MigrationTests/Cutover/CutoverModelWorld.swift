import Foundation
import Synchronization

@testable import Migration

/// The model's process death: thrown by the fuse at a journal write or around an effect,
/// after which nothing more of that process reaches the journal or the world.
struct Killed: Error {}

/// Counts the points at which the process may die and kills it at the chosen one.
final class Fuse: Sendable {
    private let remaining: Mutex<Int?>

    /// `budget`: how many points pass before the kill; nil never kills.
    init(budget: Int?) { remaining = Mutex(budget) }

    func tick() throws {
        try remaining.withLock { value in
            guard let count = value else { return }
            if count <= 0 { throw Killed() }
            value = count - 1
        }
    }
}

/// A journal kept in memory that survives the model's kills (as SQLite does), written
/// through the current process's fuse: a kill before the write loses the record, one after
/// it keeps it (the caller never sees it returned).
final class ModelJournal: CutoverJournal, Sendable {
    private let saved = Mutex<[CutoverRecord]>([])
    let fuse = Mutex(Fuse(budget: nil))

    func records() async throws -> [CutoverRecord] { saved.withLock { $0 } }

    @discardableResult
    func append(step: CutoverStep?, event: CutoverEvent, at: Double) async throws -> CutoverRecord {
        let fuse = self.fuse.withLock { $0 }
        try fuse.tick()
        let record = saved.withLock { records in
            let record = CutoverRecord(sequence: records.count + 1, at: at, step: step, event: event)
            records.append(record)
            return record
        }
        try fuse.tick()
        return record
    }
}

/// The hosts as the model sees them: which steps' effects completed, in order, and what
/// the non-idempotent test relay sent.
final class ModelWorld: CutoverEffects, Sendable {
    struct Contents {
        /// Every effect that completed, in order (repeats included).
        var completed: [CutoverStep] = []
        /// Effects that began, in order.
        var begun: [CutoverStep] = []
        /// Test messages sent, by token.
        var sent: [String] = []
        /// Messages waiting for the next presync round.
        var pending = 0
        var arrivals: [Int] = []
        var drainChecksLeft = 0
        var verifyFailures = 0
    }

    let contents: Mutex<Contents>
    let fuse = Mutex(Fuse(budget: nil))

    init(pending: Int, arrivals: [Int], drainChecks: Int, verifyFailures: Int) {
        contents = Mutex(Contents(pending: pending, arrivals: arrivals, drainChecksLeft: drainChecks, verifyFailures: verifyFailures))
    }

    func perform(_ step: CutoverStep, token: String?) async throws -> CutoverStepOutcome {
        let fuse = self.fuse.withLock { $0 }
        try fuse.tick()
        let outcome = contents.withLock { world -> CutoverStepOutcome in
            world.begun.append(step)
            defer { world.completed.append(step) }
            switch step {
            case .testRelay:
                world.sent.append(token ?? "")
                return .done(CutoverResult(detail: "sent"))
            case .presync:
                let copied = world.pending
                world.pending = world.arrivals.isEmpty ? 0 : world.arrivals.removeFirst()
                return .done(CutoverResult(copied: copied))
            case .verify where world.verifyFailures > 0:
                world.verifyFailures -= 1
                return .failed(reason: "1 message missing")
            case .drainCheck where world.drainChecksLeft > 0:
                world.drainChecksLeft -= 1
                return .notYet(detail: "queue not empty", retryAfter: .seconds(60))
            default:
                return .done(CutoverResult())
            }
        }
        try fuse.tick()
        return outcome
    }

    func happened(_ step: CutoverStep, token: String) async throws -> Bool {
        let fuse = self.fuse.withLock { $0 }
        try fuse.tick()
        return contents.withLock { $0.sent.contains(token) }
    }
}

