/// A command cannot be written: the caller passed a value IMAP cannot carry. The description
/// never includes the value (it may be a password).
public struct CommandEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// A NUL byte: no IMAP string can hold one.
        case nulByte
        /// An empty UID set, or a set that names no message.
        case emptySet
        /// A keyword that is not an atom (`flag-keyword = atom`).
        case invalidFlag
        /// A value the command does not accept (named here).
        case invalidArgument(String)
    }

    public let kind: Kind
    /// What was being written, e.g. `"LOGIN password"`.
    public let field: String

    public init(_ kind: Kind, field: String) {
        self.kind = kind
        self.field = field
    }

    public var description: String {
        switch kind {
        case .nulByte: return "cannot send \(field): it contains a NUL byte"
        case .emptySet: return "cannot send \(field): the UID set is empty"
        case .invalidFlag: return "cannot send \(field): not a valid IMAP flag or keyword"
        case .invalidArgument(let what): return "cannot send \(field): \(what)"
        }
    }
}
