/// The proof of a cutover window: for every message and final recipient the old server
/// accepted, where it ended; the totals; every gap and refusal; the timeline.
public struct CutoverProofReport: Hashable, Sendable, Codable {
    public enum Verdict: String, Hashable, Sendable, Codable {
        /// Every recipient accounted for, no gap, no duplicate, nothing still queued.
        case proven
        /// Nothing lost so far, but some mail is still queued: run the proof again later.
        case pending
        /// Something is unaccounted, duplicated, or a log has a gap.
        case failed
    }

    public struct LogSummary: Hashable, Sendable, Codable {
        public var name: String
        public var lines: Int
        public var malformed: Int
        public var malformedSamples: [String]
        public var first: LogInstant?
        public var last: LogInstant?
    }

    public var verdict: Verdict
    /// Why the verdict is not `proven`, one sentence each.
    public var reasons: [String]
    public var since: LogInstant
    public var until: LogInstant
    public var timeline: [ProofPhase]
    public var counts: ProofCounts
    public var logs: [LogSummary]
    public var gaps: [LogGap]
    public var entries: [ProofEntry]
    public var duplicates: [ProofDuplicate]
    public var refusals: [ProofRefusal]
    /// Facts that limit what the proof shows without failing it (a log not given).
    public var notes: [String]
}
