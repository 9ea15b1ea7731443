/// Opens sessions to the account being copied from.
public protocol SourceStore: Sendable {
    /// A short, password-free description for logs and reports (`imap://alice@old:143`).
    var displayName: String { get }
    /// Run `body` with a new logged-in session and close it afterwards.
    func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T
}

/// Opens sessions to the account being copied to.
public protocol DestinationStore: Sendable {
    var displayName: String { get }
    /// True if the destination takes each message's source UID and the folder's source
    /// UIDVALIDITY (a Dovecot Maildir written directly); false for IMAP APPEND.
    var preservesSourceUIDs: Bool { get }
    func withSession<T: Sendable>(_ body: (any MailboxWriter) async throws -> T) async throws -> T
}
