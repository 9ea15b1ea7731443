import Foundation
import MailTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// FaultProxy between the small IMAP client and the real Dovecot: a connection cut in the
/// middle of a literal is a dropped connection for the client, never a hang, and the
/// server side behaves as a real network failure makes it behave.
@Suite(.tags(.integration), .requiresTestbed)
struct FaultProxyIntegrationTests {
    /// An account whose INBOX holds one message of about 20 KB; returns it with the exact
    /// size Dovecot reports for the literal.
    static func accountWithOneMessage(_ testbed: Testbed) async throws -> (TestbedUser, Int) {
        let user = try await testbed.makeAccount(prefix: "fault")
        let body = String(repeating: String(repeating: "f", count: 78) + "\r\n", count: 256)
        let message = "Subject: fault proxy\r\n\r\n" + body
        let imap = try await IMAPTestSession(testbed.new.imap)
        try #require(try await imap.login(user.name, try user.password()).isOK)
        try #require(try await imap.command("APPEND INBOX {\(message.utf8.count)+}\r\n\(message)").isOK)
        return (user, message.utf8.count)
    }

    @Test func aFetchCutMidLiteralIsADroppedConnectionNotAHang() async throws {
        let testbed = try Testbed.require()
        let (user, size) = try await Self.accountWithOneMessage(testbed)
        let proxy = try FaultProxy(target: testbed.new.imap)
        defer { proxy.stop() }
        proxy.enqueue(.cut(.afterPattern("{\(size)}\r\n", .serverToClient, then: size / 2)))

        let imap = try await IMAPTestSession(proxy.endpoint, timeout: 20)
        #expect(imap.greeting.contains("Dovecot"))
        try #require(try await imap.login(user.name, try user.password()).isOK)
        try #require(try await imap.command("SELECT INBOX").isOK)
        let start = ContinuousClock.now
        do {
            let fetch = try await imap.command("UID FETCH 1 BODY.PEEK[]")
            Issue.record("the FETCH completed through a cut connection: \(fetch.text)")
        } catch let error as LineSocketError {
            #expect(error.isClosedByPeer, "an orderly close mid-literal, not \(error)")
        }
        #expect(ContinuousClock.now - start < .seconds(10), "the client learned of the cut at once")
        let connection = try #require(proxy.stats.connections.first)
        #expect(connection.end == .cut)

        // The server is unharmed and the next connection (pass-through) gets everything.
        let again = try await IMAPTestSession(proxy.endpoint)
        try #require(try await again.login(user.name, try user.password()).isOK)
        try #require(try await again.command("SELECT INBOX").isOK)
        let fetch = try await again.command("UID FETCH 1 BODY.PEEK[]")
        #expect(fetch.isOK && fetch.literals.first?.count == size)
        #expect(proxy.stats.accepted == 2 && proxy.stats.cut == 1)
    }

    /// A connection that drops while the client sends an APPEND literal stores nothing:
    /// what a sync engine relies on when it retries the APPEND.
    @Test func anAppendCutMidLiteralStoresNothing() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "faultapp")
        let proxy = try FaultProxy(target: testbed.new.imap)
        defer { proxy.stop() }
        let message = "Subject: cut append\r\n\r\n" + String(repeating: "a", count: 10_000) + "\r\n"
        proxy.enqueue(.cut(.afterPattern("{\(message.utf8.count)}\r\n", .clientToServer, then: 4_000), style: .reset))

        let imap = try await IMAPTestSession(proxy.endpoint)
        try #require(try await imap.login(user.name, try user.password()).isOK)
        // A synchronizing literal: the client waits for "+" before sending the message.
        try await imap.socket.write("t9 APPEND INBOX {\(message.utf8.count)}\r\n")
        #expect(try await imap.socket.readLine().hasPrefix("+"))
        try? await imap.socket.write(message + "\r\n")
        // Reset (or, if our write already took the reset, end of stream): never a timeout.
        let (_, error) = await imap.socket.readToEnd()
        #expect(error == nil || error?.errno == ECONNRESET, "\(String(describing: error))")
        #expect(proxy.stats.connections.first?.end == .cut)

        let direct = try await IMAPTestSession(testbed.new.imap)
        try #require(try await direct.login(user.name, try user.password()).isOK)
        let select = try await direct.command("SELECT INBOX")
        #expect(select.untagged.contains("* 0 EXISTS"), "\(select.untagged)")
    }

    @Test func refusedConnectionsToTheServerRecover() async throws {
        let testbed = try Testbed.require()
        let proxy = try FaultProxy(target: testbed.old.imap)
        defer { proxy.stop() }
        proxy.refuseConnections(for: .milliseconds(500))
        await #expect(throws: LineSocketError.self) { try await IMAPTestSession(proxy.endpoint) }
        #expect(await proxy.waitUntilAccepting(), "the window ends")
        let imap = try await IMAPTestSession(proxy.endpoint)
        #expect(imap.greeting.contains("Courier-IMAP"))
        #expect(proxy.stats.accepted == 1)
    }
}
