import Cutover
import Testing

/// The plans as values: what the dry run prints, without any Postfix.
struct HoldPlanTests {
    let postfix = PostfixHost(host: LocalHost(), configDirectory: "/etc/postfix")
    let domains = CutoverDomains(["Store.test"])

    @Test func holdPrependsItsTablesAndKeepsTheSitesOwn() {
        let plan = HoldPlan(domains: domains).plan(
            current: ["transport_maps": "hash:/etc/postfix/transport", "smtpd_recipient_restrictions": "permit_mynetworks, reject"],
            mailferryDirectory: postfix.mailferryDirectory)
        let parameters = plan.changes.compactMap { change -> [PostfixParameter]? in
            if case .setParameters(let parameters) = change { return parameters } else { return nil }
        }.flatMap { $0 }
        #expect(parameters == [
            PostfixParameter("smtpd_recipient_restrictions",
                             "check_recipient_access regexp:/etc/postfix/mailferry/cutover-hold.regexp, permit_mynetworks, reject"),
            PostfixParameter("transport_maps", "regexp:/etc/postfix/mailferry/cutover-transport.regexp, hash:/etc/postfix/transport"),
        ])
        #expect(plan.changes.filter { $0 == .reload }.count == 1)
    }

    @Test func planningAgainOnAHeldInstanceChangesNothing() {
        let first = HoldPlan(domains: domains).plan(current: ["transport_maps": "hash:/etc/postfix/transport"], mailferryDirectory: postfix.mailferryDirectory)
        var applied: [String: String] = [:]
        for case .setParameters(let parameters) in first.changes {
            for parameter in parameters { applied[parameter.name] = parameter.value }
        }
        let second = HoldPlan(domains: domains).plan(current: applied, mailferryDirectory: postfix.mailferryDirectory)
        #expect(second == first)
    }

    @Test func holdTurnsOffOnlyTheMirrorsBcc() {
        let mirrorBcc = "regexp:/etc/postfix/mailferry/recipient_bcc.regexp"
        let withMirror = HoldPlan(domains: domains).plan(current: ["recipient_bcc_maps": mirrorBcc], mailferryDirectory: postfix.mailferryDirectory)
        #expect(withMirror.changes.contains(.removeParameters(["recipient_bcc_maps"])))
        let sitesOwn = HoldPlan(domains: domains).plan(current: ["recipient_bcc_maps": "hash:/etc/postfix/archive"], mailferryDirectory: postfix.mailferryDirectory)
        #expect(!sitesOwn.changes.contains(.removeParameters(["recipient_bcc_maps"])))
    }

    @Test func dryRunShowsTheExactCommandsAndTables() {
        let text = HoldPlan(domains: domains).plan(current: [:], mailferryDirectory: postfix.mailferryDirectory).render(for: postfix)
        #expect(text.contains("/@store\\.test$/\tHOLD mailferry cutover hold"))
        #expect(text.contains("/@store\\.test$/\tmailferry-hold:"))
        #expect(text.contains("/@store\\.test\\.mirror\\.invalid$/\tdiscard:mailferry cutover dropped a mirror copy"))
        #expect(text.contains("/usr/sbin/postconf -c /etc/postfix -M 'mailferry-hold/unix=mailferry-hold unix - n n - - pipe flags=q user=nobody argv=/bin/sh -c {echo"))
        #expect(text.contains("/usr/sbin/postfix -c /etc/postfix reload"))
        #expect(text.contains("/usr/bin/xargs -r -n 1 -P 8 /usr/sbin/postqueue -c /etc/postfix -i   reading the id of each queued message with a recipient in store.test.mirror.invalid"))
    }

    @Test func relayUsesABracketedNextHopAndPortOnlyWhenNot25() {
        #expect(RelayPlan(domains: domains, host: "192.0.2.7").route == "relay:[192.0.2.7]")
        #expect(RelayPlan(domains: domains, host: "new.example", port: 2525).route == "relay:[new.example]:2525")
    }
}
