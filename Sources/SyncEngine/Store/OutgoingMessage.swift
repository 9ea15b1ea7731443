public import MailModel

/// A message on its way to the destination: its staged bytes and the metadata to keep.
public struct OutgoingMessage: Sendable {
    public var body: StagedBody
    public var flags: Set<Flag>
    public var internalDate: InternalDate?
    /// The source UID, for destinations that preserve UIDs.
    public var sourceUID: UID
    public var fingerprint: MessageFingerprint

    public init(body: StagedBody, flags: Set<Flag>, internalDate: InternalDate?, sourceUID: UID, fingerprint: MessageFingerprint) {
        self.body = body
        self.flags = flags
        self.internalDate = internalDate
        self.sourceUID = sourceUID
        self.fingerprint = fingerprint
    }
}

/// What became of one appended message.
public enum AppendOutcome: Hashable, Sendable {
    /// Stored.
    case appended(AppendReceipt)
    /// Refused; the run goes on and the message is retried next time.
    case rejected(AppendRejection)
}

/// The destination's confirmation of one stored message.
public struct AppendReceipt: Hashable, Sendable {
    /// Known when the destination reported it (APPENDUID) or chose it (UID-preserving stores).
    public var uid: UID?
    public var uidValidity: UIDValidity?
    /// Flags the destination could not keep on this message (for example a Maildir folder with
    /// more than 26 keywords); reported, never silently lost.
    public var droppedFlags: Set<Flag>

    public init(uid: UID?, uidValidity: UIDValidity?, droppedFlags: Set<Flag> = []) {
        self.uid = uid
        self.uidValidity = uidValidity
        self.droppedFlags = droppedFlags
    }
}

/// Why a destination refused a message.
public struct AppendRejection: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case overQuota = "over quota"
        case tooBig = "too big"
        /// The destination handed this UID to another message a client may have seen; a
        /// UID-preserving store cannot keep the source's UID without a new UIDVALIDITY.
        case uidHandedOut = "UID handed out"
        case other = "refused"
    }

    public var kind: Kind
    /// The server's own words (never contains credentials).
    public var text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }

    public var description: String { "\(kind.rawValue): \(text)" }
}
