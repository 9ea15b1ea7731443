import Cutover

/// The `[cutover.test_relay]` table: what the `test-relay` step sends before the hold (a
/// message each way between the hosts, with a null sender and with one whose SPF fails for
/// the relaying host) and how long it waits for the logs to show them delivered.
public struct CutoverTestRelayConfig: Decodable, Equatable, Sendable {
    /// Where the test messages go (default `postmaster@` the first domain); in the domains.
    public var recipient: String?
    /// The SPF-failing sample's envelope sender: an address at a domain whose SPF fails for
    /// both hosts, never one of the domains, never a person's (default
    /// `mailferry-relay-test@example.com`, or `@example.net` when example.com is one of the
    /// domains: RFC 2606's reserved domains, which publish `v=spf1 -all`).
    public var spfFailSender: String?
    /// The bound on the wait for the delivery evidence (default `"2m"`).
    public var timeout: String?
    /// `false`: only the `myhostname` check, no messages (for a setup where the new server
    /// does not relay the domains to the old one before the switch).
    public var send: Bool?

    public enum CodingKeys: String, CodingKey {
        case recipient, timeout, send
        case spfFailSender = "spf_fail_sender"
    }

    public static let defaultSPFFailSender = "mailferry-relay-test@example.com"
    public static let defaultTimeout: Duration = .seconds(120)

    func validate(domains: [String], fail: (String) -> ConfigError) throws(ConfigError) {
        if let recipient {
            guard Self.isAddress(recipient), let domain = recipient.split(separator: "@").last, domains.contains(domain.lowercased()) else {
                throw fail("test_relay.recipient must be an address in one of the domains (got \"\(recipient)\")")
            }
        }
        if let sender = spfFailSender {
            guard Self.isAddress(sender), let domain = sender.split(separator: "@").last, !domains.contains(domain.lowercased()) else {
                throw fail("test_relay.spf_fail_sender must be an address outside the domains, at a domain whose SPF fails for the "
                    + "hosts (got \"\(sender)\")")
            }
        }
        if let timeout, ConfigDuration.parse(timeout) == nil {
            throw fail("test_relay.timeout \"\(timeout)\" is not a duration such as \"30s\", \"5m\", \"1h\" or \"1d\"")
        }
    }

    /// One `@`, something on each side, nothing a shell or sendmail treats specially.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && CutoverConfig.isDomainName(String(parts[1])) && !text.hasPrefix("-")
            && text.allSatisfy { $0.isASCII && !$0.isWhitespace && !"<>()[]\\,;:\"".contains($0) }
    }
}

extension CutoverConfig {
    /// Whether `test-relay` sends messages, or why not.
    public var relayTestWithout: String? {
        if testRelay?.send == false { return "test_relay.send = false" }
        if old.mailLog == nil || new.mailLog == nil { return "the evidence comes from the logs, and old.mail_log and new.mail_log are not both set" }
        return nil
    }

    public var relayTestTimeout: Duration { testRelay?.timeout.flatMap(ConfigDuration.parse) ?? CutoverTestRelayConfig.defaultTimeout }

    /// The relay test of one attempt.
    public func relayTest(token: String) -> RelayTest {
        RelayTest(recipient: testRelay?.recipient ?? "postmaster@\(domains[0])",
                  spfFailSender: testRelay?.spfFailSender
                      ?? (domains.contains("example.com") ? "mailferry-relay-test@example.net" : CutoverTestRelayConfig.defaultSPFFailSender),
                  relayHost: new.relayHost, relayPort: new.relayPort ?? 25, token: token)
    }
}
