import MailModel
import Relay
import SMTPCodec
import Testing

/// §4 relay control (S-R1..S-R6, S-R8) against the mirror's rules.
@Suite struct MirrorRulesTests {
    static let rules = MirrorRules(domainMap: ["example.com.mirror.invalid": "example.com"])

    static func route(_ text: String) -> RecipientRoute {
        rules.route(.mailbox(EmailAddress(text)!))
    }

    @Test(arguments: [
        "victim@other.example",                        // S-R1
        "victim%other.example@example.com.mirror.invalid", // S-R2
        "other.example!victim@example.com.mirror.invalid", // S-R3
        "\"victim@other.example\"@example.com.mirror.invalid", // S-R5
        "victim@[192.0.2.1]",                          // S-R5
        "victim@sub.example.com.mirror.invalid",       // S-R5
        "victim@example.com",                          // the real domain is not a shadow domain
    ])
    func refuses(recipient: String) {
        guard case .refuse(let reply) = Self.route(recipient) else {
            Issue.record("accepted \(recipient)")
            return
        }
        #expect(reply.isPermanentFailure)
        #expect(reply.enhancedStatus == EnhancedStatusCode(5, 7, 1))
    }

    /// S-R6: domains are case-insensitive; the local part is kept as written.
    @Test func acceptsAndRewritesTheShadowDomain() {
        #expect(Self.route("Bob@EXAMPLE.com.Mirror.Invalid") == .accept(.mailbox(EmailAddress("Bob@example.com")!)))
    }

    /// S-R8: <postmaster> is accepted and goes to the real domain's postmaster.
    @Test func postmaster() {
        #expect(Self.rules.route(.postmaster) == .accept(.mailbox(EmailAddress("postmaster@example.com")!)))
    }

    @Test func retryPolicyBackoff() {
        var policy = RetryPolicy()
        policy.minimalBackoff = .seconds(60)
        policy.maximalBackoff = .seconds(300)
        #expect((1...5).map { policy.backoff(afterAttempts: $0) } == [.seconds(60), .seconds(120), .seconds(240), .seconds(300), .seconds(300)])
        policy.maximalLifetime = .seconds(100)
        #expect(!policy.isExpired(receivedAt: 0, now: 99))
        #expect(policy.isExpired(receivedAt: 0, now: 100))
    }
}
