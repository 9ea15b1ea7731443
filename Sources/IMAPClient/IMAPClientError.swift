import IMAPCodec

/// Why an IMAP operation failed. Descriptions never contain credentials: commands are named
/// (`LOGIN`), never shown with their arguments.
public struct IMAPClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The server answered NO or BAD. `command` is the command name (e.g. `UID FETCH`).
        case commandFailed(command: String, response: TaggedResponse)
        /// The server refused the login (NO or BAD to `LOGIN` or `AUTHENTICATE`): a wrong user
        /// name or password, a master user it does not accept. A case of its own, so callers
        /// tell a refused login from any other refusal without reading command names;
        /// `command` only names the command in the message.
        case loginRefused(command: String, response: TaggedResponse)
        /// The server said BYE and closed the connection (not after our LOGOUT).
        case serverClosed(ResponseText)
        /// The connection ended (reset, EOF) without a BYE.
        case connectionClosed
        /// No progress for the configured time; the text says what was awaited.
        case timeout(String)
        /// Could not connect (refused, unreachable, DNS).
        case connectFailed(String)
        /// TLS failed: handshake, certificate verification, configuration.
        case tls(String)
        /// The server's bytes are not valid IMAP (nil: unknown parse failure).
        case invalidResponse(IMAPParseError?)
        /// The server broke the protocol (unknown tag, unexpected continuation, ...).
        case protocolViolation(String)
        /// Refused to send a password without TLS to a host that is not loopback.
        case plaintextNotAllowed
        /// The server lacks a capability the operation needs (named here).
        case unsupported(String)
        /// The server offers no way to log in with these credentials (named here: `LOGIN`
        /// under LOGINDISABLED, `AUTH=PLAIN` for a master user): a login that cannot succeed,
        /// unlike a missing capability of a later step.
        case loginUnavailable(String)
        /// The caller passed something IMAP cannot carry.
        case invalidArgument(CommandEncodingError)
        /// An APPEND body source produced a different number of bytes than it announced; the
        /// connection was closed so the server discards the partial message.
        case appendSizeMismatch(expected: Int, actual: Int)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    /// The response code of a NO/BAD (e.g. `.tryCreate`, `.overQuota`), if any.
    public var responseCode: ResponseCode? {
        switch kind {
        case .commandFailed(_, let response), .loginRefused(_, let response): return response.text.code
        default: return nil
        }
    }

    public var description: String {
        switch kind {
        case .commandFailed(let command, let response), .loginRefused(let command, let response):
            let code = response.text.code.map { " [\(IMAPClientError.name(of: $0))]" } ?? ""
            return "IMAP \(command) failed: \(response.status.rawValue)\(code) \(response.text.text)"
        case .serverClosed(let text): return "the IMAP server closed the connection: \(text.text)"
        case .connectionClosed: return "the IMAP connection was closed unexpectedly"
        case .timeout(let what): return "IMAP timeout: \(what)"
        case .connectFailed(let why): return "cannot connect to the IMAP server: \(why)"
        case .tls(let why): return "IMAP TLS failed: \(why)"
        case .invalidResponse(let error): return "the IMAP server sent an invalid response: \(error.map { "\($0)" } ?? "unknown")"
        case .protocolViolation(let what): return "IMAP protocol violation: \(what)"
        case .plaintextNotAllowed:
            return "refusing to send a password without TLS to a non-loopback host (use imaps://, STARTTLS, or --allow-plaintext)"
        case .unsupported(let what), .loginUnavailable(let what): return "the IMAP server does not support \(what)"
        case .invalidArgument(let error): return "\(error)"
        case .appendSizeMismatch(let expected, let actual):
            return "APPEND body source gave \(actual) bytes instead of the announced \(expected); the message was not stored"
        }
    }

    static func name(of code: ResponseCode) -> String {
        switch code {
        case .alert: return "ALERT"
        case .tryCreate: return "TRYCREATE"
        case .overQuota: return "OVERQUOTA"
        case .limit: return "LIMIT"
        case .alreadyExists: return "ALREADYEXISTS"
        case .nonExistent: return "NONEXISTENT"
        case .authenticationFailed: return "AUTHENTICATIONFAILED"
        case .authorizationFailed: return "AUTHORIZATIONFAILED"
        case .unavailable: return "UNAVAILABLE"
        case .inUse: return "INUSE"
        case .parse: return "PARSE"
        case .readOnly: return "READ-ONLY"
        case .other(let name, _): return name
        default: return "\(code)"
        }
    }
}
