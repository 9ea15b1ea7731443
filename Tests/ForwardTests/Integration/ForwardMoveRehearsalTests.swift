import Forward
import Foundation
import MailTestSupport
import Testing

/// IMAP clients whose DNS stays on the old host's address, through the client-facing part of
/// a move: before the hold that address serves the old store; from the hold until *open*
/// nothing listens there; from *open* the forwarder on that same port serves the new store
/// over the new server's PROXY listener. Two private Dovecot instances stand for the old and
/// the new server (same user and password, as a migration keeps them); the old one is
/// reached through a forwarder too, since its listeners take PROXY only. The cutover's own
/// steps are the subject of the cutover tests; here the question is what a client sees.
@Suite("Forwarder: IMAP clients polling through the move", .tags(.integration), .requiresTestbed, .enabled(if: PrivateDovecot.canRun))
struct ForwardMoveRehearsalTests {
    static func forwarder(port: Int, to upstream: Int) async throws -> Forwarder {
        try await Forwarder.start(ForwardConfiguration(listeners: [
            .init(name: "imap", listen: .init(host: "127.0.0.1", port: port), upstream: .init(host: "127.0.0.1", port: upstream)),
        ]))
    }

    /// Every poll either reads a whole store or fails cleanly (connection refused while
    /// nothing listens, an abort for a session open when the old server stopped); polls after
    /// *open* read the new store, the message delivered after the switch included.
    @Test func everyPollReadsAStoreOrFailsCleanlyAndAfterOpenReadsTheNewOne() async throws {
        let testbed = try Testbed.require()
        let password = UUID().uuidString
        try await PrivateDovecot.with(testbed: testbed, password: password) { old in
            try await PrivateDovecot.with(testbed: testbed, password: password) { new in
                // The new store as the final delta and the first delivery after the switch leave it.
                let setup = try await Self.forwarder(port: 0, to: new.imapPort)
                let seeding = try PollingIMAPClient(port: setup.listeners[0].port, user: PrivateDovecot.user, password: password, caFile: testbed.caFile)
                #expect(try seeding.send("append before the move") == "ok")
                #expect(try seeding.send("append after the move") == "ok")
                seeding.close()
                await setup.stop(grace: .zero)

                // The old host's address: its port stays the same through the move.
                let before = try await Self.forwarder(port: 0, to: old.imapPort)
                let address = before.listeners[0].port
                let client = try PollingIMAPClient(port: address, user: PrivateDovecot.user, password: password, caFile: testbed.caFile)
                defer { client.close() }
                #expect(try client.send("append before the move") == "ok")
                var answers: [String] = []
                answers.append(try client.send("open"))
                for _ in 0..<3 { answers.append(try client.send("poll")) }
                #expect(answers.allSatisfy { $0 == "ok before the move" }, "\(answers)")

                // The hold: the old IMAP stops, its sessions end.
                await before.stop(grace: .zero)
                let held = [try client.send("noop"), try client.send("poll"), try client.send("poll")]
                // imaplib's abort on the closed stream, or the socket's own error: the session ended.
                #expect(["err abort", "err SSLEOFError", "err ConnectionResetError", "err BrokenPipeError"].contains(held[0]), "\(held)")
                #expect(held[1...].allSatisfy { $0 == "err ConnectionRefusedError" }, "\(held)")

                // *open*: the forwarder takes the old address.
                let after = try await Self.forwarder(port: address, to: new.imapPort)
                let opened = [try client.send("poll"), try client.send("open"), try client.send("noop"), try client.send("poll")]
                await after.stop(grace: .zero)
                #expect(opened == ["ok after the move|before the move", "ok after the move|before the move", "ok", "ok after the move|before the move"],
                        "\(opened)")
            }
        }
    }
}
