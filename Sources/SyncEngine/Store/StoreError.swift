/// A failure of a store session that the engine must classify: retry, give up on the
/// account, or give up on the folder.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Wrong user name or password; retrying does not help.
        case authentication
        /// Could not connect, connection lost, timeout: retry with backoff.
        case connection
        /// TLS failed (certificate not trusted, handshake) or a password would have gone out
        /// without TLS: retrying does not help, the configuration must change.
        case security
        /// The folder does not exist or cannot be opened.
        case folder
        /// The server broke the protocol; retry once, then give up on the folder.
        case protocolViolation
        /// Anything else the store reported.
        case other
    }

    public var kind: Kind
    /// A description without credentials.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var isRetryable: Bool { kind == .connection || kind == .protocolViolation }
    public var description: String { "\(kind.rawValue) error: \(message)" }
}
