/// One line of an entry's status journal: the outcome of one delivery attempt.
///
/// The journal is append-only. The newest record for a recipient wins, except that a final
/// state (delivered, failed) never reverts, so a replayed journal cannot resend to a
/// recipient that was done.
public struct SpoolStatusRecord: Hashable, Sendable, Codable {
    public struct Result: Hashable, Sendable, Codable {
        /// Index into the envelope's recipients.
        public var index: Int
        public var state: RecipientState
        /// The next hop's reply or a local reason, e.g. `550 5.1.1 user unknown`.
        public var reply: String

        public init(index: Int, state: RecipientState, reply: String) {
            self.index = index
            self.state = state
            self.reply = reply
        }
    }

    /// Unix time of the attempt.
    public var at: Double
    public var results: [Result]
    /// Unix time of the next attempt, when some recipient is deferred.
    public var nextAttemptAt: Double?

    public init(at: Double, results: [Result], nextAttemptAt: Double?) {
        self.at = at
        self.results = results
        self.nextAttemptAt = nextAttemptAt
    }
}
