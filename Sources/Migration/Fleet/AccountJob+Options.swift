import SyncBackends
import SyncEngine

extension AccountJob {
    /// The run's options as this account's stores want them: a Dovecot Maildir written
    /// directly keeps messages up to ``DovecotMaildirStore/stagingMemoryThreshold`` in memory
    /// instead of staging them in a file first.
    public func syncOptions(_ base: SyncOptions) -> SyncOptions {
        var options = base
        if destination is DovecotMaildirStore {
            options.memoryThreshold = max(options.memoryThreshold, DovecotMaildirStore.stagingMemoryThreshold)
        }
        return options
    }
}
