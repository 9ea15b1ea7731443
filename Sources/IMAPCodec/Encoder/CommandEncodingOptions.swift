/// How commands are written for one server, derived from its capabilities.
public struct CommandEncodingOptions: Hashable, Sendable {
    /// How literals are sent (RFC 3501 §4.3, RFC 7888).
    public enum LiteralMode: Hashable, Sendable {
        /// `{n}`: wait for the server's `+` before the bytes.
        case synchronizing
        /// LITERAL+: `{n+}` for every literal, no round trip.
        case nonSynchronizing
        /// LITERAL-: `{n+}` up to ``IMAPDefaults/literalMinusLimit`` bytes, `{n}` above.
        case nonSynchronizingUpTo4096
    }

    public var literalMode: LiteralMode
    /// UTF8=ACCEPT is enabled (RFC 6855): UTF-8 may go in quoted strings.
    public var utf8Accepted: Bool

    public init(literalMode: LiteralMode = .synchronizing, utf8Accepted: Bool = false) {
        self.literalMode = literalMode
        self.utf8Accepted = utf8Accepted
    }

    /// The options a server with these capabilities supports.
    public init<S: Sequence>(capabilities: S, utf8Accepted: Bool = false) where S.Element == Capability {
        let set = Set(capabilities)
        if set.contains(.literalPlus) {
            literalMode = .nonSynchronizing
        } else if set.contains(.literalMinus) {
            literalMode = .nonSynchronizingUpTo4096
        } else {
            literalMode = .synchronizing
        }
        self.utf8Accepted = utf8Accepted
    }

    /// Whether a literal of `count` bytes can be sent without waiting for `+`.
    public func sendsWithoutContinuation(byteCount count: Int) -> Bool {
        switch literalMode {
        case .synchronizing: return false
        case .nonSynchronizing: return true
        case .nonSynchronizingUpTo4096: return count <= IMAPDefaults.literalMinusLimit
        }
    }
}
