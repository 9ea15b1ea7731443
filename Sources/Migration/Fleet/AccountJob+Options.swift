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
    ///
    /// Those descriptors are bounded by `descriptorBudget`, this account's share of the
    /// process's limit: two batches are held per folder, `foldersInParallel` folders at once,
    /// so a batch from a Courier Maildir takes at most a quarter of the budget with two
    /// folders, whatever was asked, into any destination.
    public func syncOptions(_ base: SyncOptions, descriptorBudget: Int = .max) -> SyncOptions {
        var options = base
        if destination is DovecotMaildirStore {
            options.memoryThreshold = max(options.memoryThreshold, DovecotMaildirStore.stagingMemoryThreshold)
            if source is CourierMaildirStore {
                options.batchMessages = max(options.batchMessages, DovecotMaildirStore.batchFromFiles.messages)
                options.batchBytes = max(options.batchBytes, DovecotMaildirStore.batchFromFiles.bytes)
            }
        }
        if source is CourierMaildirStore {
            let perBatch = descriptorBudget / (2 * max(1, options.foldersInParallel))
            options.batchMessages = max(1, min(options.batchMessages, perBatch))
        }
        return options
    }

    /// Folders of the account worked on at once when neither a flag nor the config says:
    /// ``DovecotMaildirStore/foldersFromFiles`` from a Courier Maildir into a Dovecot Maildir
    /// (local files on both sides), two otherwise.
    var defaultFoldersInParallel: Int {
        source is CourierMaildirStore && destination is DovecotMaildirStore ? DovecotMaildirStore.foldersFromFiles : 2
    }
}
