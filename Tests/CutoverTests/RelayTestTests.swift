import Cutover
import Foundation
import MailferryConfig
import MailTestSupport
import Migration
import StateStore
import Testing

/// The route the relay test installs on the old Postfix, and how it is taken away (sans-IO).
@Suite struct RelayTestPlanTests {
    let test = RelayTest(recipient: "postmaster@store.test", spfFailSender: "x@example.com", relayHost: "192.0.2.20", relayPort: 2525, token: "T")

    @Test func theRouteIsUndoneToTheSiteValueWhateverItWas() {
        for before in [nil, "hash:/etc/postfix/transport", "regexp:/d/relay-test-transport.regexp, hash:/etc/postfix/transport"] {
            let installed = test.installRoute(current: before.map { ["transport_maps": $0] } ?? [:], mailferryDirectory: "/d")
            guard case .setParameters(let set) = installed[3] else { Issue.record("\(installed)"); continue }
            #expect(set == [PostfixParameter("transport_maps", before == nil ? "regexp:/d/relay-test-transport.regexp"
                                                 : "regexp:/d/relay-test-transport.regexp, hash:/etc/postfix/transport")])
            let removal = RelayTest.removeRoute(current: ["transport_maps": set[0].value], mailferryDirectory: "/d")
            #expect(removal.first == (before == nil ? PostfixChange.removeParameters(["transport_maps"])
                                          : PostfixChange.setParameters([PostfixParameter("transport_maps", "hash:/etc/postfix/transport")])))
        }
        // Nothing of ours in transport_maps: the site's value is left alone.
        #expect(RelayTest.removeRoute(current: ["transport_maps": "hash:/etc/postfix/transport"], mailferryDirectory: "/d").first
            == PostfixChange.removeService(name: RelayTest.service, type: "unix"))
    }

    @Test func samplesGoEachWayWithANullAndAnSPFFailingSenderAndNeverADSN() {
        #expect(test.samples.map(\.description) == ["old -> new, null sender", "old -> new, SPF-failing sender <x@example.com>",
                                                    "new -> old, null sender", "new -> old, SPF-failing sender <x@example.com>"])
        #expect(Set(test.samples.map(\.messageID)).count == 4)
        #expect(test.samples.allSatisfy { $0.messageID.contains(".T.") })
        let old = PostfixHost(host: LocalHost(), configDirectory: "/etc/postfix")
        #expect(test.sendmail(test.samples[0], on: old) == ["/usr/sbin/sendmail", "-C", "/etc/postfix", "-f", "", "-N", "never", "-i", RelayTest.routeAddress])
        #expect(Array(test.sendmail(test.samples[3], on: old).suffix(5)) == ["x@example.com", "-N", "never", "-i", "postmaster@store.test"])
    }
}

/// The `test-relay` step on two private Postfix instances (``PrivatePostfix``): the new one
/// relays the domain to the old one (the mirror phase's routing) and has two listeners, its
/// public one with an inbound policy that refuses the SPF-failing sample's sender (the stand-in
/// for an SPF check) and a dedicated relay listener without it.
@Suite(.serialized, .tags(.integration), .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct RelayTestTests {
    func effects(old: PrivatePostfix, new: PrivatePostfix, relayPort: Int, state directory: String) throws -> HostCutoverEffects {
        var config = PrivatePostfix.cutoverConfig(old: old, new: new)
        config.relayPort = relayPort
        let text = config.text + """
            [cutover.test_relay]
            recipient = "alice@\(PrivatePostfix.domain)"
            spf_fail_sender = "mailferry-relay-test@spf-fail.test"
            timeout = "60s"
            """
        let cutover = try #require(try MigrationConfig.parse(text, origin: "/relay-test.toml").cutover)
        let hosts = CutoverHosts(old: LocalHost(name: "old"), new: LocalHost(name: "new"), oldPostfix: old.configDirectory,
                                 newPostfix: new.configDirectory, domains: CutoverDomains(cutover.domains))
        return HostCutoverEffects(config: cutover, hosts: hosts,
                                  mailboxes: MaildirCopyMailboxes(oldRoot: old.mailRoot, newRoot: new.mailRoot, users: PrivatePostfix.users),
                                  journal: StateCutoverJournal(store: try SQLiteStateStore(directory: directory), run: "relay-test"), prover: nil,
                                  reportDirectory: directory, now: { Date().timeIntervalSince1970 })
    }

    @Test func testMessagesMustPassTheRelayListenerEachWayAndLeaveNothingBehind() async throws {
        try await PrivatePostfix.with("relaytest-old", hostname: "mx.old.cutover.test") { old in
            let relay = try ReservedPort(address: "127.0.0.1")
            defer { relay.release() }
            let state = NSTemporaryDirectory() + "mailferry-relaytest-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: state) }
            try await PrivatePostfix.with("relaytest-new", hostname: "mx.new.cutover.test", extraMainCF: """
                transport_maps = inline:{ \(PrivatePostfix.domain)=relay:[\(old.address)]:\(old.port) }
                smtpd_sender_restrictions = check_sender_access inline:{ spf-fail.test=REJECT }
                """) { new in
                try await new.postfix.host.check(["/usr/sbin/postconf", "-c", new.configDirectory, "-M",
                                                  "\(new.address):\(relay.port)/inet=\(new.address):\(relay.port) inet n - n - - smtpd -o smtpd_sender_restrictions="])
                try await new.postfix.reload()
                try await new.waitForListener(on: relay.port, "the relay listener")
                let before = try await old.postfix.explicitSettings()

                // The public listener's policy refuses the SPF-failing sample: no go, named.
                let refused = try await effects(old: old, new: new, relayPort: new.port, state: state).perform(.testRelay, token: "policy")
                guard case .failed(let reason) = refused else { Issue.record("passed through the policy: \(refused)"); return }
                print("through the public listener: \(reason)")
                #expect(reason.contains("old -> new, SPF-failing sender <mailferry-relay-test@spf-fail.test>: FAILED"))
                #expect(reason.contains("Sender address rejected"))
                #expect(reason.contains("old -> new, null sender: delivered"))
                #expect(reason.contains("new -> old, SPF-failing sender <mailferry-relay-test@spf-fail.test>: delivered"))
                #expect(old.logLines(containing: "sender non-delivery notification").isEmpty, "no bounce for a test message")

                // The dedicated listener: every sample delivered, the same way as the switch's relay.
                let effects = try effects(old: old, new: new, relayPort: relay.port, state: state)
                let passed = try await effects.perform(.testRelay, token: "relay")
                guard case .done(let result) = passed else { Issue.record("the relay listener failed: \(passed)"); return }
                print("through the relay listener: \(result.detail)")
                #expect(result.detail.components(separatedBy: ": delivered (").count == 5)
                #expect(result.detail.contains("-> \(new.address)[\(new.address)]:\(relay.port) -> new"))
                // Every sample delivered ends with alice in the old store: 3 of the first test, 4 of this one.
                try await old.waitFor("the test messages in the old store") { old.delivered(to: "alice").count == 7 }
                #expect(old.subjects(of: "alice").allSatisfy { $0.hasPrefix("mailferry cutover relay test") })

                // The old Postfix as before, no test message left in either queue.
                #expect(try await old.postfix.explicitSettings() == before)
                #expect(try await old.postfix.service(RelayTest.service) == nil)
                #expect(!FileManager.default.fileExists(atPath: "\(old.postfix.mailferryDirectory)/relay-test-transport.regexp"))
                try await old.waitFor("both queues empty", watching: ["\(new.root)/queue"]) {
                    let oldQueue = try await old.postfix.queue()
                    let newQueue = try await new.postfix.queue()
                    return oldQueue.isEmpty && newQueue.isEmpty
                }

                // A resume after an interruption asks the logs.
                #expect(try await effects.happened(.testRelay, token: "relay"))
                #expect(try await effects.happened(.testRelay, token: "policy") == false)
                #expect(try await effects.happened(.testRelay, token: "never-sent") == false)
            }
        }
    }
}
