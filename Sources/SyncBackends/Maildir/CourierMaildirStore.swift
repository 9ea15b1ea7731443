public import Logging
public import Maildir
public import SyncEngine

/// A Courier Maildir++ tree read directly as a sync source: for running as root on the old
/// host, with no user passwords. Folders, flags, keywords, INTERNALDATEs (file mtimes),
/// subscriptions, UIDs and UIDVALIDITY are what Courier-IMAP shows or would show; POP3
/// UIDLs are published on a ``POP3IdentityBoard`` for a Dovecot Maildir destination.
///
/// Read-only: nothing under the Maildir is written, renamed or created, not even the
/// `courierimapuiddb` Courier itself would write. UIDs that Courier has not given yet are
/// given as Courier would give them and remembered in a ``CourierUIDLedgerStore`` in the
/// state directory (see ``CourierUIDLedger`` for the policy).
public struct CourierMaildirStore: SourceStore {
    public var root: String
    public var options: CourierMaildir.Options
    /// Where provisional UIDs are kept between runs.
    public var ledger: CourierUIDLedgerStore?
    /// False for read-only uses (verify): the ledger is read, never written.
    public var updatesLedger: Bool
    public var pop3Board: POP3IdentityBoard?
    public var logger: Logger

    public init(
        root: String, options: CourierMaildir.Options = .init(), ledger: CourierUIDLedgerStore?, updatesLedger: Bool = true,
        pop3Board: POP3IdentityBoard? = nil, logger: Logger
    ) {
        self.root = root
        self.options = options
        self.ledger = ledger
        self.updatesLedger = updatesLedger
        self.pop3Board = pop3Board
        self.logger = logger
    }

    public var displayName: String { "maildir:" + root }

    /// Each message is handed over as its open file.
    public var bodiesAreOpenFiles: Bool { true }

    public func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T {
        let root = self.root
        let options = self.options
        let maildir = try await MaildirIO.run { try StoreError.translating { try CourierMaildir(root: root, options: options) } }
        return try await body(CourierMaildirSession(store: self, maildir: maildir))
    }
}
