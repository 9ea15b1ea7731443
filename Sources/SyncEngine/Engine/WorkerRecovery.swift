/// What a folder worker does after its sessions failed, as a value: it takes each failure
/// and returns the action, as the codecs' state machines do, and the worker
/// (``AccountSync``) carries the action out. The decisions (which failures are retried,
/// when a server counts as unreachable, how long to back off) are then tested without
/// sessions or time.
struct WorkerRecovery {
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

    /// The worker's sessions failed with `error` (a ``WorkerFailure`` when a folder was in
    /// progress).
    mutating func sessionsFailed(_ error: any Error) -> Action {
        failures += 1
        let folderError = (error as? WorkerFailure)?.error ?? error
        guard let storeError = folderError as? StoreError, storeError.isRetryable else { return .abort(folderError) }
        if let failure = error as? WorkerFailure { return .retryFolder(failure.mapping, storeError, backoff: backoff) }
        guard failures < maxAttempts else { return .abort(storeError) }
        return .reconnect(backoff: backoff)
    }

    /// Doubled with each failure, from ``initialBackoff`` up to ``maxBackoff``.
    var backoff: Duration {
        min(initialBackoff * (1 << min(failures - 1, 16)), maxBackoff)
    }
}
