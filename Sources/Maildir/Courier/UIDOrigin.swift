/// Where a source message's UID comes from.
public enum UIDOrigin: String, Hashable, Sendable, CustomStringConvertible {
    /// Recorded in `courierimapuiddb`: clients may have cached it; it must be kept.
    case database
    /// Not yet recorded: Courier would give this UID at its next scan (same rules, same
    /// order). No client has seen it, so it may still change if Courier scans first.
    case assigned

    public var description: String { rawValue }
}
