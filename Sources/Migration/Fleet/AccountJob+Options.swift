import SyncBackends
import SyncEngine

extension AccountJob {
    /// The run's options as this account's stores want them: a Dovecot Maildir written
    /// directly keeps messages up to ``DovecotMaildirStore/stagingMemoryThreshold`` in memory
    /// instead of staging them in a file first. From a Courier Maildir it takes larger
    /// batches (``DovecotMaildirStore/batchFromFiles``): each batch there costs a `syncfs`,
    /// the rewrite of `dovecot-uidlist` and two journal commits whatever its size, and a
    /// Courier Maildir's messages are held as their open files, so a larger batch costs
    /// descriptors, not memory.
    public func syncOptions(_ base: SyncOptions) -> SyncOptions {
        var options = base
        if destination is DovecotMaildirStore {
            options.memoryThreshold = max(options.memoryThreshold, DovecotMaildirStore.stagingMemoryThreshold)
            if source is CourierMaildirStore {
                options.batchMessages = max(options.batchMessages, DovecotMaildirStore.batchFromFiles.messages)
                options.batchBytes = max(options.batchBytes, DovecotMaildirStore.batchFromFiles.bytes)
            }
        }
        return options
    }
}
