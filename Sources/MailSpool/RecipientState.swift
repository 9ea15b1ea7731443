/// Where one recipient of a spool entry stands.
public enum RecipientState: String, Hashable, Sendable, Codable, CaseIterable {
    /// Not attempted yet.
    case pending
    /// Accepted by the next hop (final).
    case delivered
    /// Refused for now; will be retried.
    case deferred
    /// Refused for good, or given up after the maximum lifetime (final).
    case failed

    /// Delivered or failed: nothing more will be done.
    public var isFinal: Bool { self == .delivered || self == .failed }
}
