import MailModel

/// ```
/// esmtp-param   = esmtp-keyword ["=" esmtp-value]
/// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
/// esmtp-value   = 1*(%d33-60 / %d62-126)
/// ```
/// Only the parameters of advertised extensions are accepted (RFC 5321 §4.1.2: 555 otherwise).
enum SMTPParameterParser {
    static func parseMail(_ text: Substring, options: SMTPCommandParser.Options) throws(SMTPCommandParser.Error) -> MailParameters {
        var parameters = MailParameters()
        for (keyword, value) in try split(text) {
            switch keyword {
            case "SIZE":
                guard let value, value.count <= 12, let size = Int(value), size >= 0 else { throw .init(reply: .syntax("Error: bad SIZE value")) }
                parameters.size = size
            case "BODY":
                switch value?.uppercased() {
                case "7BIT": parameters.body = .sevenBit
                case "8BITMIME": parameters.body = .eightBitMIME
                default: throw .init(reply: .parameter("Error: unsupported BODY type"))
                }
            case "SMTPUTF8":
                guard value == nil else { throw .init(reply: .syntax("Error: SMTPUTF8 takes no value")) }
                guard options.smtpUTF8Advertised else { throw .init(reply: .parameter("Error: SMTPUTF8 is not supported")) }
                parameters.smtpUTF8 = true
            default:
                throw .init(reply: .parameter("Error: unsupported MAIL parameter \(keyword)"))
            }
        }
        return parameters
    }

    static func parseRecipient(_ text: Substring) throws(SMTPCommandParser.Error) -> RecipientParameters {
        if let (keyword, _) = try split(text).first { throw .init(reply: .parameter("Error: unsupported RCPT parameter \(keyword)")) }
        return RecipientParameters()
    }

    static func split(_ text: Substring) throws(SMTPCommandParser.Error) -> [(String, String?)] {
        var result: [(String, String?)] = []
        for token in text.split(separator: " ") {
            let keyword: Substring
            let value: Substring?
            if let equals = token.firstIndex(of: "=") {
                keyword = token[..<equals]
                value = token[token.index(after: equals)...]
            } else {
                keyword = token
                value = nil
            }
            let keywordOK = keyword.utf8.first.map(isAlphaDigit) == true && keyword.utf8.allSatisfy { isAlphaDigit($0) || $0 == UInt8(ascii: "-") }
            let valueOK = value.map { !$0.isEmpty && $0.utf8.allSatisfy { (33...126).contains($0) && $0 != UInt8(ascii: "=") } } ?? true
            guard keywordOK, valueOK else { throw .init(reply: .syntax("Error: bad parameter syntax")) }
            result.append((keyword.uppercased(), value.map(String.init)))
        }
        return result
    }

    static func isAlphaDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }
}
