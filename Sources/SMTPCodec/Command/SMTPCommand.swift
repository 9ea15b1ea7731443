public import MailModel

/// A command from client to server (RFC 5321 §4.1.1 plus the ESMTP extensions we implement).
///
/// Commands that we recognise but never implement (AUTH, BDAT, TURN, ...) parse as
/// `.notImplemented` so the server can give the right code (502) instead of "unknown" (500).
/// `description` hides addresses and arguments: they are personal data.
public enum SMTPCommand: Hashable, Sendable, CustomStringConvertible {
    case hello(String)
    case extendedHello(String)
    case mail(ReversePath, MailParameters)
    case recipient(ForwardPath, RecipientParameters)
    case data
    case reset
    case noop
    case quit
    case verify
    case expand
    case help
    case startTLS
    case authenticate
    case notImplemented(String)

    /// The verb, for logs.
    public var verb: String {
        switch self {
        case .hello: "HELO"
        case .extendedHello: "EHLO"
        case .mail: "MAIL"
        case .recipient: "RCPT"
        case .data: "DATA"
        case .reset: "RSET"
        case .noop: "NOOP"
        case .quit: "QUIT"
        case .verify: "VRFY"
        case .expand: "EXPN"
        case .help: "HELP"
        case .startTLS: "STARTTLS"
        case .authenticate: "AUTH"
        case .notImplemented(let verb): verb
        }
    }

    public var description: String { verb }

    /// The wire form a client sends, CRLF included. Only parsed and validated values are
    /// emitted: a relay never copies raw inbound bytes into outbound commands (§4 S-E4).
    public var wireString: String {
        switch self {
        case .hello(let name): "HELO \(name)\r\n"
        case .extendedHello(let name): "EHLO \(name)\r\n"
        case .mail(let path, let parameters): "MAIL FROM:\(path)\(parameters.wireSuffix)\r\n"
        case .recipient(let path, let parameters): "RCPT TO:\(path)\(parameters.wireSuffix)\r\n"
        case .data: "DATA\r\n"
        case .reset: "RSET\r\n"
        case .noop: "NOOP\r\n"
        case .quit: "QUIT\r\n"
        case .verify: "VRFY\r\n"
        case .expand: "EXPN\r\n"
        case .help: "HELP\r\n"
        case .startTLS: "STARTTLS\r\n"
        case .authenticate: "AUTH\r\n"
        case .notImplemented(let verb): "\(verb)\r\n"
        }
    }
}
