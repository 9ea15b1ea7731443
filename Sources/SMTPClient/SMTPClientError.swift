public import SMTPCodec

/// Why a client session could not continue.
public struct SMTPClientError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case timeout
        case connectionFailed
        case connectionClosed
        case malformedReply
        case session
    }

    public let kind: Kind
    public let detail: String
    /// Set for `.session`.
    public let failure: SMTPSessionFailure?

    public init(_ kind: Kind, _ detail: String, failure: SMTPSessionFailure? = nil) {
        self.kind = kind
        self.detail = detail
        self.failure = failure
    }

    public var description: String { detail }
}
