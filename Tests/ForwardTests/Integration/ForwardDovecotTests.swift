import Forward
import Foundation
import MailTestSupport
import Testing

/// The forwarder in front of a real Dovecot with PROXY listeners (`haproxy = yes`), clients
/// on their own loopback address: what the new server sees is the client, not the forwarder.
@Suite("Forwarder and Dovecot", .tags(.integration), .requiresTestbed, .enabled(if: PrivateDovecot.canRun))
struct ForwardDovecotTests {
    /// IMAP with STARTTLS and with implicit TLS, POP3 with STLS, certificate verified, end to
    /// end through the forwarder; Dovecot logs each client's address, never the forwarder's
    /// (127.0.0.1).
    @Test func loginsThroughTheForwarderShowTheClientsAddress() async throws {
        let testbed = try Testbed.require()
        try await PrivateDovecot.with(testbed: testbed) { dovecot in
            let forwarder = try await Forwarder.start(
                ForwardConfiguration(listeners: [
                    .init(name: "imap", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: dovecot.imapPort)),
                    .init(name: "imaps", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: dovecot.imapsPort)),
                    .init(name: "pop3", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: dovecot.pop3Port)),
                ]))
            do {
                try await Self.logInThrice(through: forwarder, dovecot: dovecot, testbed: testbed)
            } catch {
                await forwarder.stop(grace: .zero)
                throw error
            }
            await forwarder.stop(grace: .zero)
            #expect(forwarder.counters.accepted == 3)
        }
    }

    static func logInThrice(through forwarder: Forwarder, dovecot: PrivateDovecot, testbed: Testbed) async throws {
        let imap = forwarder.listeners[0].port
        let imaps = forwarder.listeners[1].port
        let starttls = try await PythonMailClient.session(
            port: imap, tls: "starttls", user: PrivateDovecot.user, password: dovecot.password, caFile: testbed.caFile, from: "127.0.0.2")
        #expect(starttls.hasPrefix("starttls OK TLSv1."))
        let implicit = try await PythonMailClient.session(
            port: imaps, tls: "implicit", user: PrivateDovecot.user, password: dovecot.password, caFile: testbed.caFile, from: "127.0.0.3")
        #expect(implicit.hasPrefix("implicit OK TLSv1."))
        let pop3 = try await PythonMailClient.session(
            port: forwarder.listeners[2].port, tls: "pop3-stls", user: PrivateDovecot.user, password: dovecot.password, caFile: testbed.caFile,
            from: "127.0.0.4")
        #expect(pop3.hasPrefix("pop3-stls OK TLSv1."))

        let logins = try await DirectoryWatch.until("three logins in \(dovecot.logFile)", in: dovecot.root) { () -> [String]? in
            let lines = dovecot.log().filter { $0.contains("Login: user=<\(PrivateDovecot.user)>") }
            return lines.count >= 3 ? lines : nil
        }
        #expect(logins.contains { $0.contains("rip=127.0.0.2") && $0.contains("TLS") }, "\(logins)")
        #expect(logins.contains { $0.contains("rip=127.0.0.3") && $0.contains("TLS") }, "\(logins)")
        #expect(logins.contains { $0.contains("pop3-login") && $0.contains("rip=127.0.0.4") && $0.contains("TLS") }, "\(logins)")
        #expect(!logins.contains { $0.contains("rip=127.0.0.1,") }, "Dovecot saw the forwarder's address: \(logins)")
        #expect(!dovecot.log().contains { $0.contains(dovecot.password) })
    }

    /// The PROXY listener refuses a client that connects straight to it: no greeting, closed.
    @Test func aDirectConnectionToThePROXYListenerIsRefused() async throws {
        let testbed = try Testbed.require()
        try await PrivateDovecot.with(testbed: testbed) { dovecot in
            let client = try await TestClient(port: dovecot.imapPort)
            try await client.sendText("a1 CAPABILITY\r\n")
            #expect(try await client.receiveUntilClosed() == [])
        }
    }
}
