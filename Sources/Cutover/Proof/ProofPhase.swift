/// One phase of the cutover as the orchestrator ran it, for the report's timeline.
public struct ProofPhase: Hashable, Sendable, Codable {
    public var name: String
    public var start: LogInstant
    public var end: LogInstant?

    public init(name: String, start: LogInstant, end: LogInstant? = nil) {
        self.name = name
        self.start = start
        self.end = end
    }
}
