import Cutover
import Foundation
import MailTestSupport
import Testing

/// `cutover plan`'s PROXY listener checks on what a real Dovecot's `doveconf -n` prints for a
/// config with PROXY listeners (the private instance the forwarder tests log in through).
@Suite("PROXY listener checks on a private Dovecot", .tags(.integration), .requiresTestbed, .enabled(if: PrivateDovecot.canRun))
struct ProxyListenerCheckDovecotTests {
    @Test func doveconfOfTheForwardedListenersPassesForTheTrustedOldHostOnly() async throws {
        let testbed = try Testbed.require()
        try await PrivateDovecot.with(testbed: testbed, settings: "login_trusted_networks = 10.9.0.0/16") { dovecot in
            let output = try await LocalHost().check(["doveconf", "-c", dovecot.config, "-n"])
            let settings = DovecotListeners(doveconf: output.standardOutput)
            #expect(settings.proxyListeners.map(\.port) == [dovecot.imapPort, dovecot.imapsPort, dovecot.pop3Port])

            let trusted = ProxyListenerCheck.dovecot(settings, oldAddress: IPNetwork(address: "127.0.0.1")!)
            #expect(trusted.map(\.verdict) == ["ok", "ok", "ok"], "\(trusted)")
            let stranger = ProxyListenerCheck.dovecot(settings, oldAddress: IPNetwork(address: "192.0.2.10")!)
            #expect(stranger.map(\.verdict) == ["ok", "NO-GO", "ok"], "\(stranger)")
            let loginTrusted = ProxyListenerCheck.dovecot(settings, oldAddress: IPNetwork(address: "10.9.1.1")!)
            #expect(loginTrusted.map(\.verdict) == ["ok", "NO-GO", "NO-GO"], "\(loginTrusted)")
        }
    }
}
