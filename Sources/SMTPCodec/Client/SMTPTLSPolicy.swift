/// When the client uses STARTTLS.
public enum SMTPTLSPolicy: String, Hashable, Sendable, CaseIterable, Codable {
    /// Never (loopback, or a next hop known not to offer it).
    case none
    /// When the server offers it, without certificate verification (RFC 7435); plaintext otherwise.
    case opportunistic
    /// Always, with certificate verification; a server without STARTTLS is a site failure.
    case required
}
