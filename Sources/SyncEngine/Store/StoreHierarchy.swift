/// How a store names its folders: the personal namespace's prefix and separator
/// (RFC 2342). Courier: prefix `INBOX.`, separator `.`; Dovecot's default: no prefix, `/`.
public struct StoreHierarchy: Hashable, Sendable, CustomStringConvertible {
    public var prefix: String
    public var separator: Character?

    public init(prefix: String, separator: Character?) {
        self.prefix = prefix
        self.separator = separator
    }

    public var description: String {
        "prefix \"\(prefix)\" separator \(separator.map { "\"\($0)\"" } ?? "NIL")"
    }
}
