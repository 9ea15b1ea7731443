/// The ESMTP extensions a server advertised in its EHLO reply (RFC 5321 §4.1.1.1).
public struct SMTPExtensions: Hashable, Sendable {
    /// Keywords in upper case, with their parameters.
    public let keywords: [String: String]

    /// Parse the lines of a 250 EHLO reply (the first line is the greeting, not a keyword).
    public init(ehloReply: SMTPReply) {
        var keywords: [String: String] = [:]
        for line in ehloReply.lines.dropFirst() {
            let keyword = line.prefix { $0 != " " && $0 != "=" }.uppercased()
            guard !keyword.isEmpty else { continue }
            keywords[keyword] = String(line.dropFirst(keyword.count).drop { $0 == " " || $0 == "=" })
        }
        self.keywords = keywords
    }

    /// No extensions (a HELO session).
    public init() {
        keywords = [:]
    }

    public func supports(_ keyword: String) -> Bool { keywords[keyword.uppercased()] != nil }
    public var pipelining: Bool { supports("PIPELINING") }
    public var startTLS: Bool { supports("STARTTLS") }
    public var eightBitMIME: Bool { supports("8BITMIME") }
    public var smtpUTF8: Bool { supports("SMTPUTF8") }
    /// RFC 3461 delivery status notifications (`NOTIFY=` on RCPT).
    public var deliveryStatusNotification: Bool { supports("DSN") }
    /// Present when SIZE is advertised: the limit (nil for "no fixed limit", i.e. `SIZE` or `SIZE 0`).
    public var sizeLimit: Int?? {
        guard let value = keywords["SIZE"] else { return nil }
        guard let limit = Int(value), limit > 0 else { return .some(nil) }
        return .some(limit)
    }
}
