/// How a step's effect ended.
public enum CutoverStepOutcome: Hashable, Sendable {
    case done(CutoverResult)
    /// A waiting step's condition does not hold yet; check again after `retryAfter`.
    case notYet(detail: String, retryAfter: Duration)
    /// The step cannot complete; the cutover stays where it is (safe in every phase: the
    /// hold keeps mail, the relay keeps relaying) until the admin runs it again.
    case failed(reason: String)
}

/// What each step does on the hosts. The runner calls it between journal records; an
/// implementation must make each idempotent step safe to repeat after a crash anywhere in
/// it, and answer ``happened(_:token:)`` for the others. Errors thrown (a lost SSH session,
/// a failed command) are recorded as failures and stop the run; `run` again resumes.
public protocol CutoverEffects: Sendable {
    /// Performs `step`. `token` is set for non-idempotent steps: the attempt's identity,
    /// recorded before this call (for the test relay, the test messages' Message-ID).
    func perform(_ step: CutoverStep, token: String?) async throws -> CutoverStepOutcome
    /// Whether the attempt `token` of a non-idempotent step took effect (a resume after a
    /// crash during it).
    func happened(_ step: CutoverStep, token: String) async throws -> Bool
}

/// What a proof concluded.
public enum CutoverProofVerdict: String, Hashable, Sendable {
    /// Every message accounted for.
    case proven
    /// Nothing lost so far, but some mail is still on its way: prove again later.
    case pending
    /// A message lost or duplicated, or a log with a gap.
    case failed
}

/// The *prove* phase's report maker (the log-based proof lives in Cutover/Proof): from the
/// window the cutover covered and its phase timeline, a report written to `directory`.
public protocol CutoverProver: Sendable {
    /// Returns the verdict and a one-line summary for the journal; throws when the proof
    /// cannot be made (a log unreadable).
    func prove(window: ClosedRange<Double>, timeline: [(phase: CutoverPhase, at: Double)], directory: String) async throws
        -> (verdict: CutoverProofVerdict, summary: String)
}

/// The journal of one cutover: append-only, every append durable when it returns.
public protocol CutoverJournal: Sendable {
    func records() async throws -> [CutoverRecord]
    @discardableResult
    func append(step: CutoverStep?, event: CutoverEvent, at: Double) async throws -> CutoverRecord
}
