import SyncBackends
import SyncEngine

extension AccountJob {
    /// The run's options as this account's stores want them: a Dovecot Maildir written
    /// directly keeps messages up to ``DovecotMaildirStore/stagingMemoryThreshold`` in memory
    /// instead of staging them in a file first, and takes larger batches. Each batch there
    /// costs a journal transaction, a `syncfs`, the rewrite of `dovecot-uidlist` and a
    /// confirming transaction, whatever its size, and its memory budget is the staging
    /// threshold anyway; every batch is still flushed before it is confirmed.
    public func syncOptions(_ base: SyncOptions) -> SyncOptions {
        var options = base
        if destination is DovecotMaildirStore {
            options.memoryThreshold = max(options.memoryThreshold, DovecotMaildirStore.stagingMemoryThreshold)
            options.batchBytes = max(options.batchBytes, DovecotMaildirStore.batchBytes)
            options.batchMessages = max(options.batchMessages, DovecotMaildirStore.batchMessages)
        }
        return options
    }
}
