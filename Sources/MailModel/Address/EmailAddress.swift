/// An RFC 5321 mailbox: `local-part@domain`.
///
/// The local part is kept exactly as it was written (including quotes), because only the
/// destination may interpret it. The domain compares case-insensitively (RFC 5321 §2.4);
/// the local part compares exactly. `description` is the wire form, so it is personal data:
/// never log it above `trace`.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    /// The local part as written on the wire, e.g. `bob`, `"john doe"`, `user+tag`.
    public let localPart: String
    /// The domain as written, e.g. `example.com` or an address literal `[192.0.2.1]`.
    public let domain: String

    /// Initialize from parts that the caller has already validated.
    public init(localPart: String, domain: String) {
        self.localPart = localPart
        self.domain = domain
    }

    /// Parse `local-part@domain` (RFC 5321 `Mailbox`). UTF-8 is allowed in both parts only
    /// when `allowUTF8` is true (RFC 6531 SMTPUTF8). Returns nil on any syntax error or when
    /// the local part exceeds 64 octets or the domain 255.
    public init?(parsing text: Substring, allowUTF8: Bool = false) {
        guard let parsed = EmailAddressParser.parseMailbox(text, allowUTF8: allowUTF8) else { return nil }
        self = parsed
    }

    /// Convenience for `init(parsing:allowUTF8:)`.
    public init?(_ text: String, allowUTF8: Bool = false) {
        self.init(parsing: text[...], allowUTF8: allowUTF8)
    }

    /// The domain lowercased (ASCII only), for comparisons and routing.
    public var normalizedDomain: String { EmailAddressParser.asciiLowercased(domain) }

    /// True if the domain is an address literal such as `[192.0.2.1]`.
    public var hasAddressLiteral: Bool { domain.hasPrefix("[") }

    /// True if either part holds a non-ASCII byte (needs SMTPUTF8 on the wire).
    public var needsSMTPUTF8: Bool { !localPart.utf8.allSatisfy { $0 < 0x80 } || !domain.utf8.allSatisfy { $0 < 0x80 } }

    /// The same mailbox with another domain (used to map a shadow domain back to the real one).
    public func replacingDomain(with newDomain: String) -> EmailAddress {
        EmailAddress(localPart: localPart, domain: newDomain)
    }

    public var description: String { "\(localPart)@\(domain)" }

    public static func == (lhs: EmailAddress, rhs: EmailAddress) -> Bool {
        lhs.localPart == rhs.localPart && lhs.normalizedDomain == rhs.normalizedDomain
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(localPart)
        hasher.combine(normalizedDomain)
    }
}
