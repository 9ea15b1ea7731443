/// How `mailferry verify` checks.
public struct VerifyOptions: Sendable {
    /// Read every message on both sides, ignoring fingerprints the sync state recorded.
    public var deep = false
    /// Require the same UIDVALIDITY and UID for every message (the UID-preserving path).
    public var expectSameUIDs = false
    /// Check subscriptions too.
    public var checkSubscriptions = true

    public init() {}
}
