/// When message files written by this code become durable.
///
/// Either way, nothing is made visible (renamed into `cur/`/`new/`, recorded in
/// `dovecot-uidlist`) before its bytes are on stable storage; the choice is only how the
/// flush is done.
public enum MaildirDurability: Hashable, Sendable {
    /// `fsync` each message file as it is finished (what Dovecot does for a single
    /// delivery). Costs one journal commit per message.
    case fsyncEachFile
    /// Flush the destination file system once (`syncfs`) at each commit, before anything is
    /// made visible: the same guarantee for a batch at a fraction of the cost.
    case syncFileSystemAtCommit
}
