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

    mutating func add(_ kind: ProofOutcome.Kind) {
        switch kind {
        case .deliveredNew: deliveredNew += 1
        case .deliveredOld: deliveredOld += 1
        case .relayedOffSite: relayedOffSite += 1
        case .localProgram: localProgram += 1
        case .mirrorCopy: mirrorCopies += 1
        case .filtered: filtered += 1
        case .bounced: bounced += 1
        case .queued: queued += 1
        case .unaccounted: lost += 1
        }
        if kind != .mirrorCopy { recipients += 1 }
    }
}
