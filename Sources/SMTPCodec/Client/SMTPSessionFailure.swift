/// Why a client session ended before it could deliver.
public struct SMTPSessionFailure: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The server's reply (greeting, EHLO, STARTTLS) refused the session.
        case refused
        /// TLS was required but not offered, or the handshake failed.
        case tlsUnavailable
        /// The server broke the protocol (unexpected or malformed reply).
        case protocolViolation
    }

    public let kind: Kind
    public let reply: SMTPReply?
    public let detail: String

    public init(kind: Kind, reply: SMTPReply?, detail: String) {
        self.kind = kind
        self.reply = reply
        self.detail = detail
    }

    public var description: String { reply.map { "\(detail): \($0)" } ?? detail }
}
