import Logging
import MailModel
import NIOCore
import SMTPClient
import SMTPCodec
import Synchronization
import Testing

@Suite struct SMTPClientConnectionTests {
    static let logger = Logger(label: "test")
    static let envelope = MailEnvelope(
        sender: .mailbox(EmailAddress("a@b.example")!),
        recipients: [.mailbox(EmailAddress("u@example.com")!), .mailbox(EmailAddress("v@example.com")!)])
    static let message = SMTPOutgoingMessage(envelope: envelope, content: Array("Subject: x\r\n\r\n.hidden\nbare\r.\r\n".utf8)[...])

    static func configuration(_ port: Int, tls: SMTPTLSPolicy = .none) -> SMTPClientConfiguration {
        var configuration = SMTPClientConfiguration(host: "127.0.0.1", port: port, heloName: "relay.test", tls: tls)
        configuration.serverName = "localhost"
        configuration.trustRootsPath = ScriptedServer.tlsDirectory + "/ca.pem"
        return configuration
    }

    static func send(_ configuration: SMTPClientConfiguration, _ message: SMTPOutgoingMessage = message) async throws -> [DeliveryOutcome] {
        try await SMTPClientConnection.withConnection(configuration, clock: ContinuousClock(), logger: logger) { connection in
            try await connection.send(message)
        }
    }

    /// The transaction part of a script: pipelined envelope, one rejected recipient.
    static func transaction(_ peer: ScriptedServer.Peer, received: Received) async throws {
        #expect(try await peer.readLine() == "MAIL FROM:<a@b.example>")
        #expect(try await peer.readLine() == "RCPT TO:<u@example.com>")
        #expect(try await peer.readLine() == "RCPT TO:<v@example.com>")
        #expect(try await peer.readLine() == "DATA")
        try await peer.write("250 2.1.0 ok\r\n550 5.1.1 user unknown\r\n250 2.1.5 ok\r\n354 go\r\n")
        let data = try await peer.readData()
        received.text.withLock { $0 = data }
        try await peer.write("250 2.0.0 queued\r\n")
        #expect(try await peer.readLine() == "QUIT")
        try await peer.write("221 bye\r\n")
    }

    /// Per-recipient outcomes, and §4 S-D3: outbound content has only CRLF and doubled dots.
    @Test func deliversWithPipeliningAndStuffsDots() async throws {
        let received = Received()
        try await ScriptedServer.run(script: { peer in
            try await peer.write("220 fake ESMTP\r\n")
            _ = try await peer.readLine()
            try await peer.write("250-fake\r\n250-8BITMIME\r\n250 PIPELINING\r\n")
            try await Self.transaction(peer, received: received)
        }, client: { port in
            let outcomes = try await Self.send(Self.configuration(port))
            #expect(outcomes.map(\.disposition) == [.fail, .delivered])
            #expect(outcomes[0].scope == .recipient && outcomes[0].detail == "550 5.1.1 user unknown")
        })
        #expect(received.text.withLock { $0 } == "Subject: x\r\n\r\n..hidden\r\nbare\r\n..\r\n")
    }

    /// §4 S-T3: `250 injected` sent in the same plaintext packet as the 220 is discarded;
    /// the EHLO inside TLS gets the real reply. The certificate is verified (`.required`).
    @Test func discardsRepliesInjectedBeforeTLS() async throws {
        let tls = try ScriptedServer.serverTLS()
        let received = Received()
        try await ScriptedServer.run(script: { peer in
            try await peer.write("220 fake ESMTP\r\n")
            _ = try await peer.readLine()
            try await peer.write("250-fake\r\n250 STARTTLS\r\n")
            #expect(try await peer.readLine() == "STARTTLS")
            try await peer.startTLS(tls, plaintext: "220 ready\r\n250 injected\r\n")
            #expect(try await peer.readLine() == "EHLO relay.test")
            try await peer.write("250-fake\r\n250-8BITMIME\r\n250 PIPELINING\r\n")
            try await Self.transaction(peer, received: received)
        }, client: { port in
            let outcomes = try await Self.send(Self.configuration(port, tls: .required))
            #expect(outcomes.map(\.disposition) == [.fail, .delivered])
        })
    }

    /// `.required` against a server without STARTTLS: a site failure, nothing sent.
    @Test func requiredTLSNotOffered() async throws {
        try await ScriptedServer.run(script: { peer in
            try await peer.write("220 fake ESMTP\r\n")
            _ = try await peer.readLine()
            try await peer.write("250 fake\r\n")
            _ = try await peer.readLine()
        }, client: { port in
            await #expect(throws: SMTPClientError.self) { try await Self.send(Self.configuration(port, tls: .required)) }
        })
    }

    /// A certificate that does not verify (wrong name) fails under `.required`.
    @Test func requiredTLSVerifiesTheName() async throws {
        let tls = try ScriptedServer.serverTLS()
        try await ScriptedServer.run(script: { peer in
            try await peer.write("220 fake ESMTP\r\n")
            _ = try await peer.readLine()
            try await peer.write("250-fake\r\n250 STARTTLS\r\n")
            _ = try await peer.readLine()
            try await peer.startTLS(tls, plaintext: "220 ready\r\n")
            _ = try? await peer.readLine()
        }, client: { port in
            var configuration = Self.configuration(port, tls: .required)
            configuration.serverName = "mx.other.example"
            await #expect(throws: SMTPClientError.self) { try await Self.send(configuration) }
        })
    }

    /// RFC 5321 §4.5.3.2.6: no reply to end-of-data within the timeout.
    @Test func endOfDataTimeout() async throws {
        try await ScriptedServer.run(script: { peer in
            try await peer.write("220 fake ESMTP\r\n")
            _ = try await peer.readLine()
            try await peer.write("250 fake\r\n")
            _ = try await peer.readLine()
            try await peer.write("250 ok\r\n")
            _ = try await peer.readLine()
            try await peer.write("250 ok\r\n")
            _ = try await peer.readLine()
            try await peer.write("250 ok\r\n")
            _ = try await peer.readLine()
            try await peer.write("354 go\r\n")
            _ = try await peer.readData()
            _ = try? await peer.readLine()
        }, client: { port in
            var configuration = Self.configuration(port)
            configuration.timeouts.dataTermination = .milliseconds(300)
            let start = ContinuousClock.now
            do {
                _ = try await Self.send(configuration)
                Issue.record("no timeout")
            } catch let error as SMTPClientError {
                #expect(error.kind == .timeout)
                #expect(DeliveryClassifier.classify(error: error).scope == .site)
            }
            // Only "it ends" is asserted: under a loaded test machine the exact time varies.
            #expect(ContinuousClock.now - start < .seconds(60))
        })
    }

    /// 421 in the middle of the envelope: the session ends, nothing counts as delivered.
    @Test func serverClosesMidTransaction() async throws {
        try await ScriptedServer.run(script: { peer in
            try await peer.write("220 fake ESMTP\r\n")
            _ = try await peer.readLine()
            try await peer.write("250 fake\r\n")
            _ = try await peer.readLine()
            try await peer.write("421 4.3.2 shutting down\r\n")
        }, client: { port in
            await #expect(throws: SMTPClientError.self) { try await Self.send(Self.configuration(port)) }
        })
    }

    /// §4 S-E1: 8-bit content to a server without 8BITMIME is refused locally, never converted.
    @Test func eightBitToSevenBitServerIsRefusedLocally() async throws {
        try await ScriptedServer.run(script: { peer in
            try await peer.write("220 fake ESMTP\r\n")
            _ = try await peer.readLine()
            try await peer.write("250 fake\r\n")
            #expect(try await peer.readLine() == "QUIT")
            try await peer.write("221 bye\r\n")
        }, client: { port in
            let message = SMTPOutgoingMessage(envelope: Self.envelope, content: Array("Subject: ü\r\n\r\n".utf8)[...])
            let outcomes = try await Self.send(Self.configuration(port), message)
            #expect(outcomes.allSatisfy { $0.disposition == .fail && $0.scope == .message })
        })
    }

    /// Issue 13.1: `NOTIFY=NEVER` on every RCPT to a next hop that offers DSN, so a copy it
    /// cannot deliver later never produces a notification; none to a next hop without DSN
    /// (it would refuse the parameter).
    @Test(arguments: [true, false])
    func sendsNotifyOnlyWhereDSNIsOffered(offered: Bool) async throws {
        let suffix = offered ? " NOTIFY=NEVER" : ""
        try await ScriptedServer.run(script: { peer in
            try await peer.write("220 fake ESMTP\r\n")
            _ = try await peer.readLine()
            try await peer.write(offered ? "250-fake\r\n250-DSN\r\n250 PIPELINING\r\n" : "250-fake\r\n250 PIPELINING\r\n")
            #expect(try await peer.readLine() == "MAIL FROM:<a@b.example>")
            #expect(try await peer.readLine() == "RCPT TO:<u@example.com>\(suffix)")
            #expect(try await peer.readLine() == "RCPT TO:<v@example.com>\(suffix)")
            #expect(try await peer.readLine() == "DATA")
            try await peer.write("250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n")
            _ = try await peer.readData()
            try await peer.write("250 queued\r\n")
            #expect(try await peer.readLine() == "QUIT")
            try await peer.write("221 bye\r\n")
        }, client: { port in
            var configuration = Self.configuration(port)
            configuration.notify = .never
            let outcomes = try await Self.send(configuration)
            #expect(outcomes.allSatisfy { $0.disposition == .delivered })
        })
    }

    /// Several messages on one session; HELO fallback for a server without ESMTP.
    @Test func reusesTheSessionAndFallsBackToHELO() async throws {
        try await ScriptedServer.run(script: { peer in
            try await peer.write("220 old-fashioned\r\n")
            _ = try await peer.readLine()
            try await peer.write("502 5.5.1 what?\r\n")
            #expect(try await peer.readLine() == "HELO relay.test")
            try await peer.write("250 hi\r\n")
            for _ in 0..<2 {
                for _ in 0..<3 {
                    _ = try await peer.readLine()
                    try await peer.write("250 ok\r\n")
                }
                #expect(try await peer.readLine() == "DATA")
                try await peer.write("354 go\r\n")
                _ = try await peer.readData()
                try await peer.write("250 queued\r\n")
            }
            _ = try await peer.readLine()
            try await peer.write("221 bye\r\n")
        }, client: { port in
            let plain = SMTPOutgoingMessage(envelope: Self.envelope, content: Array("x\r\n".utf8)[...])
            let results = try await SMTPClientConnection.withConnection(Self.configuration(port), clock: ContinuousClock(), logger: Self.logger) { connection in
                [try await connection.send(plain), try await connection.send(plain)]
            }
            #expect(results.flatMap { $0 }.allSatisfy { $0.disposition == .delivered })
        })
    }
}

final class Received: Sendable {
    let text = Mutex("")
}
