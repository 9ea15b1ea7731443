import MailModel

/// `response-data` other than FETCH (which arrives as ``FetchEvent``s).
public enum UntaggedResponse: Hashable, Sendable {
    /// `* OK|NO|BAD|BYE resp-text` (`resp-cond-state`, `resp-cond-bye`).
    case condition(ResponseStatus, ResponseText)
    case capability([Capability])
    /// RFC 5161 `* ENABLED ...`.
    case enabled([Capability])
    /// RFC 2971 `* ID (...)`: key/value pairs in order, or empty for `NIL`.
    case id([IDParameter])
    case namespace(NamespaceResponse)
    case list(MailboxInfo)
    case lsub(MailboxInfo)
    case status(MailboxPath, MailboxStatus)
    case flags([Flag])
    case exists(Int)
    case recent(Int)
    case expunge(SequenceNumber)
    /// `* SEARCH`: UIDs after UID SEARCH, sequence numbers after SEARCH; RFC 7162 adds
    /// `(MODSEQ n)`.
    case search([UInt32], highestModSeq: ModSeq?)
    /// A response this codec does not model (`QUOTA`, `ACL`, `THREAD`...): its keyword,
    /// uppercased. It was framed and skipped.
    case other(String)
}

/// One `ID` key/value pair (RFC 2971); the value may be `NIL`.
public struct IDParameter: Hashable, Sendable {
    public var key: String
    public var value: String?

    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}
