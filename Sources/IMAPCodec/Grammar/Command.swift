import MailModel

/// A client command (RFC 3501 §6 and the extensions the client uses). APPEND, whose
/// message bytes are streamed, is encoded in pieces by ``CommandEncoder``.
public enum Command: Hashable, Sendable {
    case capability
    case noop
    case logout
    case startTLS
    /// `LOGIN userid password`; the password never appears in logs.
    case login(username: String, password: Secret)
    /// `AUTHENTICATE mechanism [initial-response]` (RFC 4959 SASL-IR when a response is
    /// given; it is already base64). Logged as `[redacted]`.
    case authenticate(mechanism: String, initialResponse: Secret?)
    case enable([Capability])
    /// `ID (key value ...)` or `ID NIL`.
    case id([IDParameter])
    case namespace
    /// `LIST reference pattern [RETURN (SPECIAL-USE)]`.
    case list(reference: MailboxPath, pattern: [UInt8], returnSpecialUse: Bool)
    case lsub(reference: MailboxPath, pattern: [UInt8])
    case status(MailboxPath, [StatusAttribute])
    case select(MailboxPath, condStore: Bool)
    case examine(MailboxPath, condStore: Bool)
    /// `CREATE mailbox [(USE (\Sent ...))]` (RFC 6154 CREATE-SPECIAL-USE).
    case create(MailboxPath, specialUse: [MailboxAttribute])
    case delete(MailboxPath)
    case rename(from: MailboxPath, to: MailboxPath)
    case subscribe(MailboxPath)
    case unsubscribe(MailboxPath)
    case close
    case unselect
    case uidFetch(UIDSet, [FetchItem], changedSince: ModSeq?)
    case uidStore(UIDSet, StoreOperation, unchangedSince: ModSeq?)
    case uidSearch(SearchKey)
    /// RFC 4315: expunge only these UIDs (needs UIDPLUS).
    case uidExpunge(UIDSet)
    case uidCopy(UIDSet, MailboxPath)
}
