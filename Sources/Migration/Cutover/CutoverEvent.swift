import Foundation

/// What the journal records about a step. `started` is written before the step's effect
/// begins and `finished`/`failed`/`notYet` after it ends, each durably, so after kill -9 the
/// journal tells a step that never began from one that may have run.
public enum CutoverEvent: Hashable, Sendable, Codable {
    /// The step begins. `token` identifies a non-idempotent step's attempt (the test
    /// message's Message-ID), so a resume can ask whether it happened.
    case started(token: String?)
    /// The step completed; `detail` is shown by `status` (e.g. "copied 120 messages").
    case finished(CutoverResult)
    /// The step stopped with a reason; the cutover stays where it is (a failed verify stays
    /// in the hold) until `run` is given again.
    case failed(reason: String)
    /// A waiting step's condition does not hold yet (the drain); it is checked again after
    /// `retryAfter` seconds.
    case notYet(detail: String, retryAfter: Double)
    /// The admin asked for a rollback.
    case rollbackRequested
    /// A drain check's DNS round still saw an answer naming the old server (recorded during
    /// the check, before its end): the drain lasts at least until this answer's TTL, counted
    /// from the record's time, plus the margin has passed.
    case oldDNSAnswer(OldDNSAnswer)
}

/// What a finished step reports.
public struct CutoverResult: Hashable, Sendable, Codable {
    /// Messages copied (presync rounds, the final delta, the copy back).
    public var copied: Int?
    public var detail: String
    /// mark-new-mailboxes: where each new mailbox stood before the switch.
    public var marks: NewMailboxMarks?

    public init(copied: Int? = nil, detail: String = "", marks: NewMailboxMarks? = nil) {
        self.copied = copied
        self.detail = detail
        self.marks = marks
    }
}

/// One journal line: the step, what happened, and when (wall-clock seconds since 1970).
public struct CutoverRecord: Hashable, Sendable {
    public var sequence: Int
    public var at: Double
    public var step: CutoverStep?
    public var event: CutoverEvent

    public init(sequence: Int, at: Double, step: CutoverStep?, event: CutoverEvent) {
        self.sequence = sequence
        self.at = at
        self.step = step
        self.event = event
    }
}
