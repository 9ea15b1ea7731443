/// Progress of a run, for a live display or a log. Counts are deltas unless named totals.
public enum SyncEvent: Sendable {
    /// The account's folders are mapped. `messagesToCopy` estimates the work from the source's
    /// message counts and what the last run recorded (`nil` when the source cannot tell).
    case accountPlanned(account: String, folders: Int, messagesToCopy: Int?)
    /// A folder's work is known: how many messages and bytes it will copy (bytes `nil` when
    /// the listing did without sizes: a first copy into an empty folder).
    case folderPlanned(account: String, folder: String, toCopy: Int, bytes: Int?)
    /// Messages were copied (or found already there) since the last event.
    case progressed(account: String, messages: Int, bytes: Int)
    case folderFinished(account: String, report: FolderReport)
    /// The connection dropped; the folder is retried after a pause.
    case retrying(account: String, folder: String, attempt: Int, reason: String)
    case accountFinished(report: AccountReport)
}

/// Receives ``SyncEvent``s. Called from several tasks at once: implementations synchronise.
public protocol SyncObserver: Sendable {
    func handle(_ event: SyncEvent)
}

/// An observer that ignores everything.
public struct SilentObserver: SyncObserver {
    public init() {}
    public func handle(_ event: SyncEvent) {}
}
