/// What the sync knows about mail delivered into the old store: the logs show it arrived
/// there, only the final sync and its verify show it reached the new mailbox. The
/// orchestrator supplies both.
public struct OldStoreEvidence: Hashable, Sendable, Codable {
    /// When the final sync began reading the old store: mail delivered into it later was
    /// not copied (the hold should make that impossible; one such delivery fails the proof).
    public var finalSyncStartedAt: LogInstant?
    /// Per recipient address (lower case), whether `verify` found that account's new
    /// mailbox complete after the final sync. An address not listed is not verified.
    public var verifiedAddresses: [String: Bool]

    public init(finalSyncStartedAt: LogInstant? = nil, verifiedAddresses: [String: Bool] = [:]) {
        self.finalSyncStartedAt = finalSyncStartedAt
        self.verifiedAddresses = Dictionary(verifiedAddresses.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $0 && $1 })
    }
}
