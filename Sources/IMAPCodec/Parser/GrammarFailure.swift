/// Why a grammar rule did not match: the bytes are invalid, or (only while a FETCH response
/// is still arriving) the response text ends at a literal header whose bytes have not been
/// read yet.
enum GrammarFailure: Error, Hashable {
    case invalid(IMAPParseError)
    /// The text ends right after `{n}` CRLF; `length` literal bytes follow on the wire.
    case pendingLiteral(length: UInt64)
}
