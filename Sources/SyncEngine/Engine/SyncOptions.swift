/// How a sync runs. Defaults suit a migration between two servers on a LAN.
public struct SyncOptions: Sendable {
    /// Plan and count, write nothing anywhere (state included).
    public var dryRun = false
    /// Remove destination messages that mailferry created and whose source is gone.
    public var deleteExtraneous = false
    /// A copy that is gone from the destination (a user deleted it there) stays gone instead
    /// of being copied again; the summary counts such messages. Off by default: in a
    /// migration, complete means every source message is on the destination.
    public var keepDestinationDeletions = false
    /// Propagate flag changes on the source to messages copied earlier.
    public var syncFlags = true
    /// Messages per APPEND batch (one MULTIAPPEND where offered).
    public var batchMessages = 50
    /// Bytes per batch; a single larger message is a batch of its own. Two batches per folder
    /// worker are in memory (one appended, the next fetched), so this bounds a run's memory;
    /// larger batches do not make it faster (README, Benchmarks).
    public var batchBytes = 512 * 1024
    /// Larger messages are staged in a temporary file instead of memory.
    public var memoryThreshold = 256 * 1024
    /// Where large messages are staged.
    public var temporaryDirectory = "/tmp"
    /// Folders of one account synced at the same time (each needs one connection per side).
    public var foldersInParallel = 2
    /// Attempts per folder when the connection keeps failing.
    public var maxAttempts = 4
    /// First backoff after a connection failure; doubled each time, up to ``maxBackoff``.
    public var initialBackoff: Duration = .seconds(1)
    public var maxBackoff: Duration = .seconds(30)

    public init() {}
}
