/// A failure while holding a message between source and destination.
public struct StagingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case io
        /// The store sent a different number of bytes than it announced.
        case sizeMismatch
        /// The store broke the begin/append/end order.
        case sequence
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "staging \(kind.rawValue) error: \(message)" }
}
