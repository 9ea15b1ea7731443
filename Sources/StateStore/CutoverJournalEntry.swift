/// One row of a cutover's journal as the state store keeps it: the step's name and the
/// event as text (the Migration library owns their meaning and encoding).
public struct CutoverJournalEntry: Hashable, Sendable {
    public var run: String
    public var sequence: Int
    /// Wall-clock seconds since 1970.
    public var at: Double
    public var step: String?
    public var event: String

    public init(run: String, sequence: Int, at: Double, step: String?, event: String) {
        self.run = run
        self.sequence = sequence
        self.at = at
        self.step = step
        self.event = event
    }
}
