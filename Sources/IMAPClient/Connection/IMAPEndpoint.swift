/// Where and how to connect.
public struct IMAPEndpoint: Hashable, Sendable {
    public enum Security: Hashable, Sendable {
        /// TLS from the first byte (imaps, usually port 993).
        case implicitTLS
        /// Plain connection upgraded with STARTTLS before authenticating; fails if the server
        /// does not offer it (never silently falls back to plaintext).
        case startTLS
        /// No TLS. Passwords are sent only to loopback addresses unless
        /// ``IMAPEndpoint/allowPlaintextAuthentication`` is set.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var tls: IMAPTLSOptions
    /// Allow LOGIN/AUTHENTICATE without TLS to a host that is not loopback (`--allow-plaintext`).
    public var allowPlaintextAuthentication: Bool

    public init(host: String, port: Int, security: Security, tls: IMAPTLSOptions = IMAPTLSOptions(), allowPlaintextAuthentication: Bool = false) {
        self.host = host
        self.port = port
        self.security = security
        self.tls = tls
        self.allowPlaintextAuthentication = allowPlaintextAuthentication
    }
}

/// Certificate verification settings. Verification is on by default.
public struct IMAPTLSOptions: Hashable, Sendable {
    /// A PEM file of CA certificates to trust instead of the system's.
    public var caFile: String?
    /// Skip certificate verification (`--insecure`, for lab use only).
    public var insecure: Bool

    public init(caFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.insecure = insecure
    }
}
