import MailModel
public import NIOCore

/// Parses one command line (without CRLF) into an `SMTPCommand`.
///
/// Errors carry the reply the server should send, so the mapping from "what was wrong" to
/// "which code" lives here, next to the grammar. The parser is strict where strictness
/// protects a relay (paths, parameters, control characters) and lenient where real clients
/// differ harmlessly (verb case, a space after `FROM:`).
public enum SMTPCommandParser {
    public struct Error: Swift.Error, Hashable, Sendable {
        public let reply: SMTPReply
    }

    /// What the session allows in MAIL/RCPT.
    public struct Options: Hashable, Sendable {
        /// SMTPUTF8 is advertised.
        public var smtpUTF8Advertised: Bool
        /// The current transaction was opened with `SMTPUTF8` (RCPT may then carry UTF-8).
        public var transactionIsUTF8: Bool

        public init(smtpUTF8Advertised: Bool, transactionIsUTF8: Bool = false) {
            self.smtpUTF8Advertised = smtpUTF8Advertised
            self.transactionIsUTF8 = transactionIsUTF8
        }
    }

    /// Parse a command line.
    ///
    /// The verb and the `FROM:`/`TO:` keywords are matched on ASCII octets only: Unicode case
    /// mapping would turn `MA\u{0131}L` (dotless i) into MAIL and `\u{017F}TARTTLS` (long s)
    /// into STARTTLS. The rest of the line must be valid UTF-8; it is never repaired, since a
    /// relay must not pass on an address with U+FFFD where the client's bytes were.
    public static func parse(_ line: ByteBuffer, options: Options) throws(Error) -> SMTPCommand {
        let bytes = Array(line.readableBytesView)
        guard !bytes.contains(where: { $0 == 0 || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) else {
            throw Error(reply: .syntax("Error: control characters in command"))
        }
        let verbEnd = bytes.firstIndex(of: UInt8(ascii: " ")) ?? bytes.endIndex
        let verbBytes = bytes[..<verbEnd]
        guard verbBytes.allSatisfy(isASCIIVisible) else { throw Error(reply: .unrecognizedCommand) }
        let verb = String(decoding: verbBytes.map(asciiUppercased), as: UTF8.self)
        let argumentBytes = bytes[verbEnd...].drop { $0 == UInt8(ascii: " ") }
        guard let argumentText = String(validating: argumentBytes, as: UTF8.self) else {
            if verb == "MAIL" || verb == "RCPT" { throw Error(reply: .invalidUTF8Address) }
            throw Error(reply: .syntax("Error: invalid UTF-8 in command"))
        }
        let argument = Substring(argumentText)
        switch verb {
        case "EHLO", "HELO":
            let name = argument.trimmingTrailingSpaces
            guard !name.isEmpty, !name.contains(" ") || name.hasPrefix("[") else { throw Error(reply: .syntax("Syntax: \(verb) hostname")) }
            return verb == "EHLO" ? .extendedHello(String(name)) : .hello(String(name))
        case "MAIL":
            guard let rest = stripPrefix("FROM:", from: argument) else { throw Error(reply: .syntax("Syntax: MAIL FROM:<address>")) }
            return try parseMail(rest, options: options)
        case "RCPT":
            guard let rest = stripPrefix("TO:", from: argument) else { throw Error(reply: .syntax("Syntax: RCPT TO:<address>")) }
            return try parseRecipient(rest, options: options)
        case "DATA": return try noArgument(.data, argument)
        case "RSET": return try noArgument(.reset, argument)
        case "QUIT": return try noArgument(.quit, argument)
        case "STARTTLS": return try noArgument(.startTLS, argument)
        case "NOOP": return .noop
        case "HELP": return .help
        case "VRFY": return .verify
        case "EXPN": return .expand
        case "AUTH": return .authenticate
        case "BDAT", "TURN", "ETRN", "ATRN", "XCLIENT", "XFORWARD", "SEND", "SOML", "SAML":
            return .notImplemented(verb)
        default:
            throw Error(reply: .unrecognizedCommand)
        }
    }

    static func isASCIIVisible(_ byte: UInt8) -> Bool { (33...126).contains(byte) }

    static func asciiUppercased(_ byte: UInt8) -> UInt8 {
        (97...122).contains(byte) ? byte - 32 : byte
    }

    /// Case-insensitive on ASCII letters only; any other octet must match exactly.
    static func asciiCaseInsensitiveHasPrefix(_ text: Substring, _ prefix: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count >= prefix.utf8.count else { return false }
        return zip(utf8, prefix.utf8).allSatisfy { asciiUppercased($0) == asciiUppercased($1) }
    }

    static func noArgument(_ command: SMTPCommand, _ argument: Substring) throws(Error) -> SMTPCommand {
        guard argument.trimmingTrailingSpaces.isEmpty else { throw Error(reply: .syntax("Syntax: \(command.verb)")) }
        return command
    }

    static func stripPrefix(_ prefix: String, from argument: Substring) -> Substring? {
        guard asciiCaseInsensitiveHasPrefix(argument, prefix) else { return nil }
        let rest = argument.utf8.dropFirst(prefix.utf8.count)
        return argument[rest.startIndex...].drop { $0 == " " }
    }

    static func parseMail(_ rest: Substring, options: Options) throws(Error) -> SMTPCommand {
        let (pathText, parameterText) = try splitPath(rest)
        let parameters = try SMTPParameterParser.parseMail(parameterText, options: options)
        let allowUTF8 = parameters.smtpUTF8
        if pathText == "<>" { return .mail(.null, parameters) }
        let address = try SMTPPathParser.parsePath(pathText, allowUTF8: allowUTF8)
        return .mail(.mailbox(address), parameters)
    }

    static func parseRecipient(_ rest: Substring, options: Options) throws(Error) -> SMTPCommand {
        let (pathText, parameterText) = try splitPath(rest)
        let parameters = try SMTPParameterParser.parseRecipient(parameterText)
        if pathText.utf8.count == 12, asciiCaseInsensitiveHasPrefix(pathText, "<POSTMASTER>") { return .recipient(.postmaster, parameters) }
        let address = try SMTPPathParser.parsePath(pathText, allowUTF8: options.transactionIsUTF8)
        return .recipient(.mailbox(address), parameters)
    }

    /// `<path>` then optional ` params`. The path ends at the first `>` outside quotes.
    static func splitPath(_ rest: Substring) throws(Error) -> (Substring, Substring) {
        guard rest.first == "<" else { throw Error(reply: .syntax("Error: address must be enclosed in <>")) }
        var inQuotes = false
        var escaped = false
        var index = rest.startIndex
        while index < rest.endIndex {
            let character = rest[index]
            if escaped {
                escaped = false
            } else if character == "\\" && inQuotes {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == ">" && !inQuotes {
                let path = rest[...index]
                let after = rest[rest.index(after: index)...]
                guard after.isEmpty || after.first == " " else { throw Error(reply: .syntax("Error: garbage after address")) }
                return (path, after.drop { $0 == " " })
            }
            index = rest.index(after: index)
        }
        throw Error(reply: .syntax("Error: address must be enclosed in <>"))
    }
}

extension Substring {
    var trimmingTrailingSpaces: Substring {
        var copy = self
        while copy.last == " " || copy.last == "\t" { copy = copy.dropLast() }
        return copy
    }
}
