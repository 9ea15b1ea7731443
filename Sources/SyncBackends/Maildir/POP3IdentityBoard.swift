public import MailModel
import Synchronization

/// Carries the POP3 identity of each INBOX message (Courier's UIDL and its place in the POP3
/// listing) from a Courier Maildir source to a Dovecot Maildir destination of the same
/// account, which writes them as `P` and `O` in `dovecot-uidlist`, so POP3 clients do not
/// download everything again either.
///
/// The sync engine moves bytes, flags and dates; POP3 identities are a concern of these two
/// stores only, so they meet here instead: the source publishes when it opens INBOX, the
/// destination reads when it writes INBOX. One board per account.
public final class POP3IdentityBoard: Sendable {
    /// One message's POP3 identity.
    public struct Identity: Hashable, Sendable {
        public var uidl: String
        /// 1-based position in Courier's POP3 listing.
        public var order: Int

        public init(uidl: String, order: Int) {
            self.uidl = uidl
            self.order = order
        }
    }

    private let state = Mutex<(validity: UIDValidity, identities: [UID: Identity])?>(nil)

    public init() {}

    /// The source's INBOX was read: these are its messages' POP3 identities, by IMAP UID.
    public func publish(inboxValidity: UIDValidity, identities: [UID: Identity]) {
        state.withLock { $0 = (inboxValidity, identities) }
    }

    /// The identities published for the source INBOX with this UIDVALIDITY, if any.
    public func identities(inboxValidity: UIDValidity) -> [UID: Identity]? {
        state.withLock { current in
            guard let current, current.validity == inboxValidity else { return nil }
            return current.identities
        }
    }
}
