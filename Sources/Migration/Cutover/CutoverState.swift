/// What the journal says about a cutover, folded from its records in order. Pure: the
/// machine decides from this alone, so a resume after kill -9 decides as the run before it
/// would have.
public struct CutoverState: Sendable {
    /// Steps that finished, with their results, in the order they finished.
    public private(set) var finished: [(step: CutoverStep, result: CutoverResult)] = []
    /// A step whose `started` has no end yet: it may have run in part, or (a non-idempotent
    /// one) entirely.
    public private(set) var inFlight: (step: CutoverStep, token: String?)?
    /// The last failure, while the failed step has not finished since.
    public private(set) var failure: (step: CutoverStep, reason: String)?
    /// A waiting step's last check: when it may be checked again (wall-clock seconds).
    public private(set) var waiting: (step: CutoverStep, detail: String, until: Double)?
    /// Every step that ever started, before any rollback request.
    public private(set) var startedBeforeRollback: Set<CutoverStep> = []
    public private(set) var rollbackRequested = false
    /// When the switch's old-side relay finished (the drain's clock starts there).
    public private(set) var switchedAt: Double?
    /// When enter-hold first started.
    public private(set) var holdStartedAt: Double?
    /// When each phase first started, for the timeline.
    public private(set) var phaseStarts: [(phase: CutoverPhase, at: Double)] = []
    /// The drain's latest DNS answer still naming the old server, and when it was seen.
    public private(set) var lastOldDNSAnswer: (answer: OldDNSAnswer, at: Double)?
    /// Until when a cache may serve an old answer the drain saw: the latest of each answer's
    /// time plus its TTL (an authoritative answer seen earlier may outlast a resolver's later one).
    public private(set) var oldDNSCachedUntil: Double?

    public init(records: [CutoverRecord] = []) {
        for record in records { apply(record) }
    }

    public mutating func apply(_ record: CutoverRecord) {
        guard let step = record.step else {
            if record.event == .rollbackRequested { rollbackRequested = true }
            return
        }
        switch record.event {
        case .started(let token):
            inFlight = (step, token)
            if !rollbackRequested { startedBeforeRollback.insert(step) }
            if step == .enterHold, holdStartedAt == nil { holdStartedAt = record.at }
            if !phaseStarts.contains(where: { $0.phase == step.phase }) { phaseStarts.append((step.phase, record.at)) }
        case .finished(let result):
            inFlight = nil
            if failure?.step == step { failure = nil }
            if waiting?.step == step { waiting = nil }
            finished.removeAll { $0.step == step }
            finished.append((step, result))
            if step == .relayOldToNew { switchedAt = record.at }
        case .failed(let reason):
            inFlight = nil
            failure = (step, reason)
            // A failed verify sends the final delta back to be done again: whatever the admin
            // fixed, the proof must cover a sync made after it.
            if step == .verify { finished.removeAll { $0.step == .finalSync } }
        case .notYet(let detail, let retryAfter):
            inFlight = nil
            waiting = (step, detail, record.at + retryAfter)
        case .rollbackRequested:
            rollbackRequested = true
        case .oldDNSAnswer(let answer):
            // Seen during a check: the check itself is still in flight.
            lastOldDNSAnswer = (answer, record.at)
            oldDNSCachedUntil = max(oldDNSCachedUntil ?? record.at, record.at + Double(answer.ttl))
        }
    }

    public func isFinished(_ step: CutoverStep) -> Bool { finished.contains { $0.step == step } }

    /// The mail-side freeze: from the first start of enter-hold to the end of relay-old-to-new
    /// (the old server relaying to the new one), once both happened.
    public var freezeSeconds: Double? {
        guard let hold = holdStartedAt, let relayed = switchedAt, relayed >= hold else { return nil }
        return relayed - hold
    }

    /// Presync rounds that finished, with the messages each copied.
    public var presyncRounds: [(round: Int, copied: Int)] {
        finished.compactMap { entry in
            guard case .presync(let round) = entry.step else { return nil }
            return (round, entry.result.copied ?? 0)
        }.sorted { $0.round < $1.round }
    }

    /// The phase of the latest step that started or finished (mirror before anything ran).
    public var phase: CutoverPhase {
        if rollbackRequested { return .rollback }
        if let inFlight { return inFlight.step.phase }
        if let failure { return failure.step.phase }
        return finished.last?.step.phase ?? .mirror
    }
}
