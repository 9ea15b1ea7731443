/// Opens sessions to the account being copied from.
public protocol SourceStore: Sendable {
    /// A short, password-free description for logs and reports (`imap://alice@old:143`).
    var displayName: String { get }
    /// True if the bodies this source's sessions hand a sink are files it holds open
    /// (``MessageBodySink/adopt(uid:file:)``, a local Maildir) rather than bytes it received: a
    /// batch then costs a descriptor per message, not memory. False unless a store says so.
    var bodiesAreOpenFiles: Bool { get }
    /// Run `body` with a new logged-in session and close it afterwards.
    func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T
}

extension SourceStore {
    public var bodiesAreOpenFiles: Bool { false }
}

/// Opens sessions to the account being copied to.
public protocol DestinationStore: Sendable {
    var displayName: String { get }
    /// True if the destination takes each message's source UID and the folder's source
    /// UIDVALIDITY (a Dovecot Maildir written directly); false for IMAP APPEND.
    var preservesSourceUIDs: Bool { get }
    /// What this destination asks of a run's batches and staging; the default asks nothing.
    var writeProfile: WriteProfile { get }
    func withSession<T: Sendable>(_ body: (any MailboxWriter) async throws -> T) async throws -> T
}

extension DestinationStore {
    public var writeProfile: WriteProfile { WriteProfile() }
}
