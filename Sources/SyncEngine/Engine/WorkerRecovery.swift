/// What a folder worker does after its sessions failed, as a value: it takes each failure
/// and returns the decision, as the codecs' state machines do; ``AccountMachine`` holds one
/// per worker and turns the decision into the worker's next action. The decisions (which
/// failures are retried, when a server counts as unreachable, how long to back off) are
/// then tested without sessions or time.
struct WorkerRecovery: Sendable {
    enum Action {
        /// Stop the account with this error: it is not a connection failure, or the server
        /// could not be reached `maxAttempts` times in a row.
        case abort(any Error)
        /// The folder in progress gets another attempt (if it has any left) on new
        /// sessions, opened after `backoff`.
        case retryFolder(FolderMapping, StoreError, backoff: Duration)
        /// No folder was in progress (the sessions did not open): open new ones after `backoff`.
        case reconnect(backoff: Duration)
    }

    let maxAttempts: Int
    let initialBackoff: Duration
    let maxBackoff: Duration
    /// Session failures of this worker so far.
    private(set) var failures = 0

    init(options: SyncOptions) {
        maxAttempts = options.maxAttempts
        initialBackoff = options.initialBackoff
        maxBackoff = options.maxBackoff
    }

    /// The worker's sessions failed with `error`, while syncing `folder` if one was in progress.
    mutating func sessionsFailed(_ error: any Error, folder: FolderMapping?) -> Action {
        failures += 1
        guard let storeError = error as? StoreError, storeError.isRetryable else { return .abort(error) }
        if let folder { return .retryFolder(folder, storeError, backoff: backoff) }
        guard failures < maxAttempts else { return .abort(storeError) }
        return .reconnect(backoff: backoff)
    }

    /// Doubled with each failure, from ``initialBackoff`` up to ``maxBackoff``.
    var backoff: Duration {
        min(initialBackoff * (1 << min(failures - 1, 16)), maxBackoff)
    }
}
