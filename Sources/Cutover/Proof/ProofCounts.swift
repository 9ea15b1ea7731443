/// The proof's totals. `accepted` counts messages; the rest count message × final recipient.
public struct ProofCounts: Hashable, Sendable, Codable {
    public var accepted = 0
    public var recipients = 0
    public var deliveredNew = 0
    public var deliveredOld = 0
    public var relayedOffSite = 0
    public var localProgram = 0
    public var mirrorCopies = 0
    public var filtered = 0
    public var bounced = 0
    public var queued = 0
    /// Unaccounted recipients.
    public var lost = 0
    /// The same recipient got the same message chain more than once.
    public var duplicated = 0
    /// Attempts the old server refused (NOQUEUE and per-message rejects) in the window.
    public var refused = 0

    public init() {}

    mutating func add(_ kind: ProofOutcome.Kind, count: Int = 1) {
        switch kind {
        case .deliveredNew: deliveredNew += count
        case .deliveredOld: deliveredOld += count
        case .relayedOffSite: relayedOffSite += count
        case .localProgram: localProgram += count
        case .mirrorCopy: mirrorCopies += count
        case .filtered: filtered += count
        case .bounced: bounced += count
        case .queued: queued += count
        case .unaccounted: lost += count
        }
        if kind != .mirrorCopy { recipients += count }
    }
}
