/// How `mailferry verify` checks.
public struct VerifyOptions: Sendable {
    /// Read every message on both sides, ignoring fingerprints the sync state recorded.
    public var deep = false
    /// Require the same UIDVALIDITY and UID for every message (the UID-preserving path).
    public var expectSameUIDs = false
    /// Check subscriptions too.
    public var checkSubscriptions = true
    /// Also record every selectable destination folder's ``FolderMark`` as this verify's
    /// session found it (``AccountVerification/destinationMarks``): the cutover's line
    /// between the store `sync` made and mail that arrives after the switch, read without a
    /// second login per account.
    public var markDestinationFolders = false
    /// Attempts per account when a connection drops.
    public var maxAttempts = 3
    /// Pause before the second attempt (growing with each attempt).
    public var retryPause: Duration = .seconds(1)

    public init() {}
}
