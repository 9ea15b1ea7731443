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

extension Command {
    /// The command's name for messages and logs, without arguments (`UID FETCH`).
    public var name: String {
        switch self {
        case .capability: return "CAPABILITY"
        case .noop: return "NOOP"
        case .logout: return "LOGOUT"
        case .startTLS: return "STARTTLS"
        case .login: return "LOGIN"
        case .authenticate: return "AUTHENTICATE"
        case .enable: return "ENABLE"
        case .id: return "ID"
        case .namespace: return "NAMESPACE"
        case .list: return "LIST"
        case .lsub: return "LSUB"
        case .status: return "STATUS"
        case .select: return "SELECT"
        case .examine: return "EXAMINE"
        case .create: return "CREATE"
        case .delete: return "DELETE"
        case .rename: return "RENAME"
        case .subscribe: return "SUBSCRIBE"
        case .unsubscribe: return "UNSUBSCRIBE"
        case .close: return "CLOSE"
        case .unselect: return "UNSELECT"
        case .uidFetch: return "UID FETCH"
        case .uidStore: return "UID STORE"
        case .uidSearch: return "UID SEARCH"
        case .uidExpunge: return "UID EXPUNGE"
        case .uidCopy: return "UID COPY"
        }
    }
}
