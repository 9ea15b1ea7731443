/// The server sent bytes that are not a valid IMAP response, or that cross a limit.
///
/// "Need more bytes" is never an error: the parser returns `nil` for that. An
/// `IMAPParseError` means the connection's byte stream can no longer be trusted.
///
/// The description never contains the offending bytes: they may hold folder names,
/// addresses or message text (personal data). It names the rule that failed and where.
public struct IMAPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// A response (text plus inline literals) grew past the line length limit.
        case lineTooLong(limit: Int)
        /// A literal claimed more bytes than the limit allows.
        case literalTooLarge(claimed: UInt64, limit: UInt64)
        /// `{...}` at the end of a line is not a valid literal header.
        case invalidLiteralHeader
        /// Parenthesized lists nest deeper than the limit.
        case nestingTooDeep(limit: Int)
        /// A NUL byte where the protocol forbids it (text, quoted strings, non-body literals).
        case nulByte
        /// The bytes do not match the grammar rule named here (e.g. `"nz-number"`).
        case unexpected(rule: String)
        /// The first response of a connection was not a greeting (`* OK`, `* PREAUTH`, `* BYE`).
        case invalidGreeting
        /// A value is out of its range (e.g. UID 0, a number past 2^32-1).
        case outOfRange(rule: String)
    }

    public let kind: Kind
    /// Byte offset inside the response where the problem was found (0 when not known).
    public let offset: Int

    public init(_ kind: Kind, offset: Int = 0) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        switch kind {
        case .lineTooLong(let limit): return "IMAP response longer than \(limit) bytes"
        case .literalTooLarge(let claimed, let limit): return "IMAP literal of \(claimed) bytes exceeds the limit of \(limit)"
        case .invalidLiteralHeader: return "invalid IMAP literal header at byte \(offset)"
        case .nestingTooDeep(let limit): return "IMAP response nests deeper than \(limit) levels"
        case .nulByte: return "NUL byte in IMAP response at byte \(offset)"
        case .unexpected(let rule): return "invalid IMAP response: expected \(rule) at byte \(offset)"
        case .invalidGreeting: return "the server's first response is not an IMAP greeting"
        case .outOfRange(let rule): return "IMAP value out of range for \(rule) at byte \(offset)"
        }
    }
}
