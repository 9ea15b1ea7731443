/// `mailferry cutover status`: where a cutover stands, from its journal alone.
public struct CutoverStatus: Codable, Hashable, Sendable {
    public struct Step: Codable, Hashable, Sendable {
        public var step: String
        public var phase: String
        public var at: Double
        public var detail: String
        public var copied: Int?
    }

    public struct Failure: Codable, Hashable, Sendable {
        public var step: String
        public var reason: String
    }

    public struct Waiting: Codable, Hashable, Sendable {
        public var step: String
        public var detail: String
        public var until: Double
    }

    public struct PhaseStart: Codable, Hashable, Sendable {
        public var phase: String
        public var at: Double
    }

    public var run: String
    public var phase: String
    /// The next step and what it does, or "finished" / "rolled back".
    public var next: String
    public var finished: [Step]
    /// A step that started and never ended (the run was interrupted there); it resumes.
    public var interrupted: String?
    public var failure: Failure?
    public var waiting: Waiting?
    public var presyncRounds: [Int]
    /// Seconds from the hold to the old server relaying to the new one.
    public var freezeSeconds: Double?
    public var timeline: [PhaseStart]
    public var rollbackRequested: Bool
    /// Why a rollback would be refused now; nil when it is possible.
    public var rollbackRefusal: String?
    /// The steps a rollback would take now.
    public var rollbackSteps: [String]
    /// How the *prove* phase proves (the logs it reads, or the verify alone and why).
    public var proofSource: String?
    /// The proof's verdict: the prove step's summary once it finished, or why it failed.
    public var proof: String?

    public init(run: String, records: [CutoverRecord], machine: CutoverMachine, now: Double, proofSource: String? = nil) {
        let state = CutoverState(records: records)
        let times = Dictionary(records.compactMap { record -> (CutoverStep, Double)? in
            guard let step = record.step, case .finished = record.event else { return nil }
            return (step, record.at)
        }, uniquingKeysWith: { _, last in last })
        self.run = run
        phase = state.phase.rawValue
        switch machine.next(state, now: now) {
        case .run(let step): next = "\(step.name): \(step.summary)"
        case .reconcile(let step, _): next = "\(step.name): check whether the interrupted attempt took effect, then \(step.summary)"
        case .wait(let step, _, let detail): next = "\(step.name): waiting (\(detail))"
        case .finished: next = "finished"
        case .rolledBack: next = "rolled back"
        }
        finished = state.finished.map {
            Step(step: $0.step.name, phase: $0.step.phase.rawValue, at: times[$0.step] ?? 0, detail: $0.result.detail, copied: $0.result.copied)
        }
        interrupted = state.inFlight?.step.name
        failure = state.failure.map { Failure(step: $0.step.name, reason: $0.reason) }
        waiting = state.waiting.map { Waiting(step: $0.step.name, detail: $0.detail, until: $0.until) }
        presyncRounds = state.presyncRounds.map(\.copied)
        freezeSeconds = state.freezeSeconds
        timeline = state.phaseStarts.map { PhaseStart(phase: $0.phase.rawValue, at: $0.at) }
        rollbackRequested = state.rollbackRequested
        rollbackRefusal = machine.rollbackRefusal(state)
        rollbackSteps = rollbackRefusal == nil ? machine.rollbackSteps(state).map(\.name) : []
        self.proofSource = proofSource
        if let failure = state.failure, failure.step == .prove {
            proof = "FAILED: \(failure.reason)"
        } else if let waiting = state.waiting, waiting.step == .prove {
            proof = "PENDING: \(waiting.detail)"
        } else {
            proof = state.finished.last { $0.step == .prove }?.result.detail
        }
    }
}
