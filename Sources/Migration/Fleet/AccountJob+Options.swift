import SyncEngine

extension AccountJob {
    /// The run's options as this account's stores want them (``DestinationStore/writeProfile``):
    /// a Dovecot Maildir written directly keeps messages up to 32 MiB in memory instead of
    /// staging them in a file first, and from a source whose bodies are open files (a Courier
    /// Maildir) it takes larger batches: each batch there costs a `syncfs`, the rewrite of
    /// `dovecot-uidlist` and two journal commits whatever its size, and a larger batch of open
    /// files costs descriptors, not memory. The stores are asked through the connection-limit
    /// wrappers, which pass both answers on.
    ///
    /// Those descriptors are bounded by `descriptorBudget`, this account's share of the
    /// process's limit: two batches are held per folder, `foldersInParallel` folders at once,
    /// so a batch of open files takes at most a quarter of the budget with two folders,
    /// whatever was asked, into any destination.
    public func syncOptions(_ base: SyncOptions, descriptorBudget: Int = .max) -> SyncOptions {
        var options = base
        let profile = destination.writeProfile
        if let threshold = profile.memoryThreshold { options.memoryThreshold = max(options.memoryThreshold, threshold) }
        if source.bodiesAreOpenFiles {
            if let messages = profile.batchFromFilesMessages { options.batchMessages = max(options.batchMessages, messages) }
            if let bytes = profile.batchFromFilesBytes { options.batchBytes = max(options.batchBytes, bytes) }
            let perBatch = descriptorBudget / (2 * max(1, options.foldersInParallel))
            options.batchMessages = max(1, min(options.batchMessages, perBatch))
        }
        return options
    }

    /// Folders of the account worked on at once when neither a flag nor the config says: what
    /// the destination asks for a source's open files (three into a Dovecot Maildir: local
    /// files on both sides), two otherwise.
    var defaultFoldersInParallel: Int {
        (source.bodiesAreOpenFiles ? destination.writeProfile.foldersFromFiles : nil) ?? 2
    }
}
