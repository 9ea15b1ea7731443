/// What the plan's timed sample measured on one account of the old server: one incremental
/// pass (what the cutover's final delta does when nothing changed) and a read of message
/// bodies, for the bulk copy's and the freeze's estimates.
public struct AccountSample: Codable, Sendable, Equatable {
    /// Selectable folders the incremental pass listed.
    public var folders: Int
    /// Seconds of the incremental pass: login, folder list, and each folder's UID and flag
    /// listing as the sync's re-run reads it; nil when the pass did not finish.
    public var incrementalSeconds: Double?
    /// Message bodies read (`BODY.PEEK[]`) and their bytes.
    public var messagesRead: Int
    public var bytesRead: Int
    /// Seconds spent fetching those bodies.
    public var readSeconds: Double
    /// Whether every message of the account was read; false when the time budget ran out.
    public var complete: Bool
    /// Why the sample of this account failed (a dropped connection), when it did.
    public var error: String?

    public init(folders: Int = 0, incrementalSeconds: Double? = nil, messagesRead: Int = 0, bytesRead: Int = 0, readSeconds: Double = 0,
                complete: Bool = false, error: String? = nil) {
        self.folders = folders
        self.incrementalSeconds = incrementalSeconds
        self.messagesRead = messagesRead
        self.bytesRead = bytesRead
        self.readSeconds = readSeconds
        self.complete = complete
        self.error = error
    }
}
