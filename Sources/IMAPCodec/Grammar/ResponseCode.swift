import MailModel

/// `resp-text-code` (RFC 3501 §7.1, RFC 4315 UIDPLUS, RFC 5530, RFC 7162 CONDSTORE).
///
/// Codes with data have their own case; atoms without data that the client acts on are
/// named; everything else is ``other(_:_:)`` so a new server code never breaks parsing.
public enum ResponseCode: Hashable, Sendable {
    case alert
    case parse
    case readOnly
    case readWrite
    case tryCreate
    case uidNotSticky
    case noModSeq
    case closed
    /// RFC 5530 `OVERQUOTA`: the operation would exceed a quota.
    case overQuota
    /// RFC 5530 `LIMIT`: a server limit (message size, count) was hit.
    case limit
    case alreadyExists
    case nonExistent
    case authenticationFailed
    case authorizationFailed
    case unavailable
    case inUse
    case badCharset([String])
    case capability([Capability])
    /// `PERMANENTFLAGS`; `allowsNewKeywords` is true when the list holds `\*`.
    case permanentFlags([Flag], allowsNewKeywords: Bool)
    case uidNext(UID)
    case uidValidity(UIDValidity)
    case unseen(SequenceNumber)
    case highestModSeq(ModSeq)
    /// RFC 4315: the UIDVALIDITY and UID(s) that an APPEND created (a set for MULTIAPPEND).
    case appendUID(UIDValidity, UIDSet)
    /// RFC 4315: source UIDs and the UIDs of their copies, in the same order.
    case copyUID(UIDValidity, source: UIDSet, destination: UIDSet)
    /// RFC 7162: messages that STORE ... UNCHANGEDSINCE did not change.
    case modified(UIDSet)
    /// Any other code: its atom (uppercased) and optional text.
    case other(String, String?)
}
