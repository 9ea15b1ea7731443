public import MailModel
import SMTPCodec

/// Which recipients the mirror accepts, and where their copy goes.
///
/// The mirror is never an open relay: it accepts only addresses in a configured shadow
/// domain (the domain the old Postfix bcc's to), compared case-insensitively, and rewrites
/// that domain to the real one in the envelope. Headers are not touched.
public struct MirrorRules: Hashable, Sendable {
    /// `old.test.mirror.invalid` → `new.test` (lowercased keys).
    public let domainMap: [String: String]
    /// The envelope sender of every copy: mailferry's own, so a copy the new server fails
    /// to deliver later can never notify the real sender.
    public let bounceAddress: EmailAddress

    /// Under `.invalid` (RFC 2606): a notification sent to it goes nowhere unless the new
    /// server routes that domain back to the mirror.
    public static let defaultBounceAddress = EmailAddress(localPart: "bounces", domain: "mailferry.invalid")

    /// Initialize from shadow → real domain pairs.
    public init(domainMap: [String: String], bounceAddress: EmailAddress = Self.defaultBounceAddress) {
        var map: [String: String] = [:]
        for (shadow, real) in domainMap { map[Self.lowercased(shadow)] = real }
        self.domainMap = map
        self.bounceAddress = bounceAddress
    }

    /// The envelope recipient for the copy, or the reply refusing it (§4 S-R1..S-R6, S-R8);
    /// the bounce address collects the new server's notifications about copies.
    public func route(_ recipient: ForwardPath) -> RecipientRoute {
        guard let address = recipient.address else {
            // Every SMTP server must accept <postmaster> (RFC 5321 §4.5.1).
            guard let real = domainMap.values.sorted().first else { return .refuse(Self.relayDenied) }
            return .accept(.mailbox(EmailAddress(localPart: "postmaster", domain: real)))
        }
        if address == bounceAddress { return .collect }
        guard !address.hasAddressLiteral, let real = domainMap[address.normalizedDomain] else { return .refuse(Self.relayDenied) }
        // Percent hack, bang paths and quoted '@' could be re-routed by a later hop; a
        // mirror has no business accepting them (§4 S-R2, S-R3, S-R5).
        let local = address.localPart
        guard !local.contains("%"), !local.contains("!"), !local.contains("@") else { return .refuse(Self.routingDenied) }
        return .accept(.mailbox(address.replacingDomain(with: real)))
    }

    static let relayDenied = SMTPReply(code: 554, EnhancedStatusCode(5, 7, 1), "Error: relay access denied")
    static let routingDenied = SMTPReply(code: 550, EnhancedStatusCode(5, 7, 1), "Error: source routing syntax is not accepted")

    static func lowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
