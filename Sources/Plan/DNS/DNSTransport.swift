import DNSCodec

/// One question to one server and its answer. The NIO client is the real one; the lookup
/// logic above it sees only this protocol.
public protocol DNSTransport: Sendable {
    func exchange(_ query: DNSMessage, with server: DNSServer) async throws(DNSClientError) -> DNSMessage
}

/// Why a server gave no usable answer.
public enum DNSClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No answer within the timeout, after every retry.
    case timeout(DNSServer)
    /// The answer could not be decoded.
    case malformed(DNSServer, DNSError)
    /// The TCP connection failed or closed before the whole answer arrived.
    case connection(DNSServer, String)
    /// The server's answer was for another question.
    case mismatch(DNSServer)

    public var description: String {
        switch self {
        case .timeout(let server): return "no answer from \(server)"
        case .malformed(let server, let error): return "malformed answer from \(server): \(error)"
        case .connection(let server, let detail): return "TCP to \(server) failed: \(detail)"
        case .mismatch(let server): return "\(server) answered another question"
        }
    }
}
