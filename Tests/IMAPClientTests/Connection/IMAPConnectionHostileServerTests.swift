@testable import IMAPClient
import IMAPCodec
import MailModel
import NIOCore
import Synchronization
import Testing

/// A hostile IMAP server on loopback (issue 13): whatever it sends, the client's memory and
/// time stay bounded and the operation ends with a typed error. "Bounded memory" is checked
/// from outside: the server writes only as fast as the client reads, so a client that kept
/// buffering would take far more than its limit before failing.
@Suite struct IMAPConnectionHostileServerTests {
    /// Small limits, so the tests reach them quickly.
    static let configuration = IMAPClientConfiguration(
        responseTimeout: .seconds(10),
        parserOptions: ResponseParserOptions(lineLengthLimit: 1 << 20, literalSizeLimit: 64 << 10, nestingDepthLimit: 64)
    )
    /// More than the client's limit plus everything on the way: loopback socket buffers
    /// (up to 32 MB received, 4 MB sent here) and the server's own channel.
    static let boundedBytes = 160 << 20
    /// Flooding stops here: a client without bounds would take all of it.
    static let floodBytes = 1 << 30

    static func endpoint(_ port: Int) -> IMAPEndpoint { IMAPEndpoint(host: "127.0.0.1", port: port, security: .none) }

    static func connect<T: Sendable>(
        _ port: Int, configuration: IMAPClientConfiguration = configuration, _ body: @escaping (IMAPConnection) async throws -> T
    ) async throws -> T {
        try await IMAPConnection.withConnection(to: endpoint(port), configuration: configuration, logger: testLogger) { try await body($0) }
    }

    static func parseErrorKind<T>(_ result: Result<T, any Error>) -> IMAPParseError.Kind? {
        guard case .failure(let error) = result, case .invalidResponse(let parse)? = (error as? IMAPClientError)?.kind else { return nil }
        return parse?.kind
    }

    static func repeated(_ text: String, _ count: Int) -> ByteBuffer {
        ByteBuffer(string: String(repeating: text, count: count))
    }

    @Test func anEndlessLineFailsAtTheLineLimit() async throws {
        let outcome = try await HostileServer.run { peer in
            guard try await peer.awaitCommand("NOOP") != nil else { return }
            try await peer.send("* OK ")
            let clientClosed = await peer.flood(Self.repeated("a", 64 << 10), maximumBytes: Self.floodBytes)
            #expect(clientClosed)
        } client: { port in
            try await Self.connect(port) { _ = try await $0.noop() }
        }
        #expect(Self.parseErrorKind(outcome.client) == .lineTooLong(limit: 1 << 20), "\(outcome.client)")
        #expect(outcome.sentBytes < Self.boundedBytes, "the client took \(outcome.sentBytes) bytes of one line")
        #expect(outcome.elapsed < .seconds(30))
    }

    @Test func aLiteralOfTwoToTheSixtyThreeOctetsIsRefusedWhenAnnounced() async throws {
        let fetch = try await HostileServer.run { peer in
            guard let tag = try await peer.awaitCommand("UID FETCH") else { return }
            try await peer.send("* 1 FETCH (UID 1 BODY[] {9223372036854775808}\r\n")
            await peer.flood(Self.repeated("x", 64 << 10), maximumBytes: Self.floodBytes)
            try await peer.send(")\r\n\(tag) OK done\r\n")
        } client: { port in
            try await Self.connect(port) { connection in
                try await connection.fetchBodies(UIDSet(ranges: [1...1])) { _ in }
            }
        }
        guard case .literalTooLarge(let claimed, _)? = Self.parseErrorKind(fetch.client) else {
            Issue.record("expected literalTooLarge, got \(fetch.client)")
            return
        }
        #expect(claimed == 1 << 63)
        #expect(fetch.sentBytes < Self.boundedBytes)

        // Outside a FETCH body the literal would be kept in memory: refused just the same.
        let list = try await HostileServer.run { peer in
            guard try await peer.awaitCommand("LIST") != nil else { return }
            try await peer.send("* LIST () \"/\" {9223372036854775808}\r\n")
            await peer.flood(Self.repeated("x", 64 << 10), maximumBytes: Self.floodBytes)
        } client: { port in
            try await Self.connect(port) { try await $0.list() }
        }
        guard case .literalTooLarge(1 << 63, _)? = Self.parseErrorKind(list.client) else {
            Issue.record("expected literalTooLarge, got \(list.client)")
            return
        }
        #expect(list.sentBytes < Self.boundedBytes)
    }

    @Test func aDeeplyNestedBodyStructureIsRefusedWithoutExhaustingTheStack() async throws {
        let outcome = try await HostileServer.run { peer in
            guard let tag = try await peer.awaitCommand("UID FETCH") else { return }
            let depth = 200_000
            try await peer.send("* 1 FETCH (UID 1 FLAGS () BODYSTRUCTURE ")
            try await peer.send(Self.repeated("(", depth))
            try await peer.send(Self.repeated(")", depth))
            try await peer.send(")\r\n\(tag) OK done\r\n")
            _ = try await peer.readLine()
        } client: { port in
            try await Self.connect(port) { try await $0.fetchMetadata(UIDSet(ranges: [1...1]), sizes: false) }
        }
        #expect(Self.parseErrorKind(outcome.client) == .nestingTooDeep(limit: 64), "\(outcome.client)")
    }

    /// Answers `command` with `count` copies of `line`, in writes of 10,000 lines, then OK;
    /// then LOGOUT.
    static func flood(_ peer: HostileServer.Peer, command: String, line: String, count: Int) async throws {
        guard let tag = try await peer.awaitCommand(command) else { return }
        let batch = 10_000
        let unit = repeated(line, batch)
        for _ in 0..<(count / batch) { try await peer.send(unit) }
        try await peer.send("\(tag) OK done\r\n")
        guard let logout = try await peer.awaitCommand("LOGOUT") else { return }
        try await peer.send("* BYE bye\r\n\(logout) OK bye\r\n")
    }

    /// Ten times the bound (a million takes minutes in a debug build on a loaded machine).
    @Test func untaggedResponsesByTheHundredThousandKeepOnlyABoundedNumber() async throws {
        let outcome = try await HostileServer.run(deadline: .seconds(180)) { peer in
            try await Self.flood(peer, command: "NOOP", line: "* 1 EXISTS\r\n", count: 10 * IMAPConnection.unsolicitedLimit)
        } client: { port in
            try await Self.connect(port) { try await $0.noop().count }
        }
        let kept = try outcome.client.get()
        #expect(kept > 0 && kept <= IMAPConnection.unsolicitedLimit, "NOOP kept \(kept) responses")
        #expect(outcome.elapsed < .seconds(180))
    }

    @Test func aMillionMailboxesInOneListIsAnError() async throws {
        let configuration = {
            var configuration = Self.configuration
            configuration.maximumMailboxes = 100_000
            return configuration
        }()
        let outcome = try await HostileServer.run(deadline: .seconds(180)) { peer in
            try await Self.flood(peer, command: "LIST", line: "* LIST () \"/\" INBOX\r\n", count: 1_000_000)
        } client: { port in
            try await Self.connect(port, configuration: configuration) { try await $0.list().count }
        }
        guard case .failure(let error) = outcome.client, case .protocolViolation(let what)? = (error as? IMAPClientError)?.kind else {
            Issue.record("expected a protocol violation, got \(outcome.client)")
            return
        }
        #expect(what.contains("100000 mailboxes"), "\(what)")
    }

    @Test func aServerThatStopsReadingTimesOutWithBoundedBuffers() async throws {
        let configuration = {
            var configuration = Self.configuration
            configuration.responseTimeout = .milliseconds(500)
            return configuration
        }()
        let outcome = try await HostileServer.run { peer in
            guard try await peer.awaitCommand("APPEND") != nil else { return }
            await peer.stopReading()
        } client: { port in
            try await Self.connect(port, configuration: configuration) { connection in
                // LITERAL+: the client sends the whole body without waiting for the server.
                let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 << 20)
                return try await connection.append(AppendMessage(body: .bytes(body)), to: .inbox)
            }
        }
        guard case .failure(let error) = outcome.client, case .timeout? = (error as? IMAPClientError)?.kind else {
            Issue.record("expected a timeout, got \(outcome.client)")
            return
        }
        #expect(outcome.elapsed < .seconds(20))
    }
}
