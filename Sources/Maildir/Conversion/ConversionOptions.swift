/// Choices for converting a Courier Maildir into a Dovecot Maildir.
public struct ConversionOptions: Hashable, Sendable {
    /// What to do with a folder whose `courierimapuiddb` exists but is unusable (Courier
    /// itself would give the folder a new UIDVALIDITY).
    public enum UnusableDatabasePolicy: Hashable, Sendable {
        /// Copy the messages without UIDs and let Dovecot number them; report the folder.
        case leaveToDovecot
        /// Treat it like a missing database: number the messages as Courier would from 1
        /// under a new UIDVALIDITY, keeping POP3 UIDLs.
        case renumber
    }

    /// Rebuild the destination's metadata even when its UIDVALIDITY differs from the
    /// source's (all its UIDs are replaced), and rewrite `dovecot-uidlist` and
    /// `dovecot-keywords` and remove Dovecot's index files even when nothing changed.
    public var overwrite: Bool
    /// Give messages in `new/` the UIDs Courier would give them; by default they are copied
    /// to `new/` without UID and Dovecot numbers them from the next UID, as Courier would.
    public var numberNewMessages: Bool
    public var unusableDatabase: UnusableDatabasePolicy
    /// When a message's UID in Courier's database differs from the one the destination got
    /// earlier (it was still provisional then), move the destination's record to Courier's
    /// UID. Without this such messages are reported as conflicts.
    public var followCourierRenumbering: Bool
    /// Write `subscriptions` from `courierimapsubscribed` (merged, never removing any).
    public var convertSubscriptions: Bool
    /// Commit a folder's staged messages every this many copies (a checkpoint).
    public var commitInterval: Int

    public init(
        overwrite: Bool = false, numberNewMessages: Bool = false, unusableDatabase: UnusableDatabasePolicy = .leaveToDovecot,
        followCourierRenumbering: Bool = true, convertSubscriptions: Bool = true, commitInterval: Int = 500
    ) {
        self.overwrite = overwrite
        self.numberNewMessages = numberNewMessages
        self.unusableDatabase = unusableDatabase
        self.followCourierRenumbering = followCourierRenumbering
        self.convertSubscriptions = convertSubscriptions
        self.commitInterval = max(1, commitInterval)
    }
}
