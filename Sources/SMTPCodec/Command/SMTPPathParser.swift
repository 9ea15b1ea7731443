import MailModel

/// ```
/// Path   = "<" [ A-d-l ":" ] Mailbox ">"      ; max 256 octets (RFC 5321 §4.5.3.1.3)
/// A-d-l  = At-domain *( "," At-domain )        ; source route: parsed and ignored (§C)
/// ```
enum SMTPPathParser {
    static let pathLimit = 256

    static func parsePath(_ text: Substring, allowUTF8: Bool) throws(SMTPCommandParser.Error) -> EmailAddress {
        guard text.utf8.count <= pathLimit else { throw .init(reply: SMTPReply(code: 501, EnhancedStatusCode(5, 1, 3), "Error: path too long")) }
        var inner = text.dropFirst().dropLast()
        if inner.first == "@" {
            // A source route: RFC 5321 §C says to ignore it and use the final mailbox.
            guard let colon = inner.firstIndex(of: ":") else { throw .init(reply: badAddress) }
            inner = inner[inner.index(after: colon)...]
        }
        if !allowUTF8, !inner.utf8.allSatisfy({ $0 < 0x80 }) { throw .init(reply: .nonASCIIAddress) }
        guard let address = EmailAddress(parsing: inner, allowUTF8: allowUTF8) else { throw .init(reply: badAddress) }
        return address
    }

    static let badAddress = SMTPReply(code: 501, EnhancedStatusCode(5, 1, 3), "Error: bad address syntax")
}
