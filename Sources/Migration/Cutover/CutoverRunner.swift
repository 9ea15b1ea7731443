/// Drives a cutover: asks the machine for the next action, records `started` in the journal,
/// performs the step through the effects, records how it ended, and goes on until the
/// cutover finishes, stops on a failure, or (with `confirm`) the admin declines a phase.
/// Everything it knows lives in the journal, so a new runner after kill -9, a reboot or a
/// lost SSH session continues exactly where the last one stopped.
public struct CutoverRunner<C: Clock>: Sendable where C.Duration == Duration {
    public var machine: CutoverMachine
    public var journal: any CutoverJournal
    public var effects: any CutoverEffects
    /// Waits (the drain's rechecks) sleep on this clock.
    public var clock: C
    /// Wall-clock seconds since 1970, for the journal's timestamps and the drain's deadlines.
    public var now: @Sendable () -> Double
    /// The identity of a non-idempotent step's attempt.
    public var makeToken: @Sendable () -> String
    /// Reports each record as it is written (progress display).
    public var observe: @Sendable (CutoverRecord) -> Void = { _ in }

    public init(
        machine: CutoverMachine, journal: any CutoverJournal, effects: any CutoverEffects, clock: C,
        now: @escaping @Sendable () -> Double, makeToken: @escaping @Sendable () -> String
    ) {
        self.machine = machine
        self.journal = journal
        self.effects = effects
        self.clock = clock
        self.now = now
        self.makeToken = makeToken
    }

    /// How a run ended.
    public enum Outcome: Hashable, Sendable {
        case finished
        case rolledBack
        /// A step failed; the reason is in the journal too. Running again retries it.
        case stopped(CutoverStep, reason: String)
        /// `confirm` declined to begin `phase`.
        case paused(before: CutoverPhase)
        /// A rollback was asked for where it is refused.
        case refused(reason: String)
    }

    /// Runs forward (or, once a rollback was requested, the rollback) to the end.
    /// `confirm` is asked before each phase begins (`--step`); nil runs straight through.
    public func run(confirm: (@Sendable (CutoverPhase) async -> Bool)? = nil) async throws -> Outcome {
        var state = CutoverState(records: try await journal.records())
        var confirmed: CutoverPhase? = state.inFlight?.step.phase
        while true {
            let action = machine.next(state, now: now())
            let step: CutoverStep
            switch action {
            case .finished: return .finished
            case .rolledBack: return .rolledBack
            case .wait(_, let until, _):
                let seconds = max(0, until - now())
                try await clock.sleep(until: clock.now.advanced(by: .milliseconds(Int64(seconds * 1000))), tolerance: nil)
                continue
            case .reconcile(let reconciled, let token):
                if try await effects.happened(reconciled, token: token) {
                    state.apply(try await record(reconciled, .finished(CutoverResult(detail: "took effect before the interruption"))))
                    continue
                }
                step = reconciled
            case .run(let next):
                step = next
            }
            if let confirm, step.phase != confirmed, state.finished.last?.step.phase != step.phase {
                guard await confirm(step.phase) else { return .paused(before: step.phase) }
            }
            confirmed = step.phase
            let token = step.isIdempotent ? nil : makeToken()
            state.apply(try await record(step, .started(token: token)))
            let outcome: CutoverStepOutcome
            do {
                outcome = try await effects.perform(step, token: token)
            } catch {
                let reason = "\(error)"
                state.apply(try await record(step, .failed(reason: reason)))
                return .stopped(step, reason: reason)
            }
            switch outcome {
            case .done(let result):
                state.apply(try await record(step, .finished(result)))
            case .notYet(let detail, let retryAfter):
                let seconds = Double(retryAfter.components.seconds) + Double(retryAfter.components.attoseconds) / 1e18
                state.apply(try await record(step, .notYet(detail: detail, retryAfter: seconds)))
            case .failed(let reason):
                state.apply(try await record(step, .failed(reason: reason)))
                return .stopped(step, reason: reason)
            }
        }
    }

    /// Records the admin's rollback request, or returns why it is refused. The rollback's
    /// steps then run with ``run(confirm:)``.
    public func requestRollback() async throws -> String? {
        let state = CutoverState(records: try await journal.records())
        if let refusal = machine.rollbackRefusal(state) { return refusal }
        if !state.rollbackRequested { try await record(nil, .rollbackRequested) }
        return nil
    }

    @discardableResult
    private func record(_ step: CutoverStep?, _ event: CutoverEvent) async throws -> CutoverRecord {
        let record = try await journal.append(step: step, event: event, at: now())
        observe(record)
        return record
    }
}
