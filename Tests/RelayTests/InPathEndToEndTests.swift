import Foundation
import Logging
import MailModel
import MailSpool
import MailTestSupport
import Migration
import Relay
import SMTPClient
import SMTPCodec
import SMTPServer
import SMTPTestSupport
import ServiceLifecycle
import Testing

/// In-path mode: client → mailferry → primary (replies passed through); copy → new server.
@Suite struct InPathEndToEndTests {
    static let logger = Logger(label: "test")

    /// Run the in-path relay as `mailferry mirror` builds it (the one `MirrorServices`
    /// factory), with a primary sink (a fake that accepts what Postfix accepts) or the
    /// primary at `primaryPort`, and a copy destination. The copies' queue runs on a test
    /// clock nobody moves: a copy the destination did not take stays deferred, with no retry
    /// during the test.
    static func withRelay(primary: RecordingSink?, primaryPort: Int? = nil, copy: MirrorHarness, messageSizeLimit: Int? = nil,
                          _ body: (Int, MailSpool) async throws -> Void) async throws {
        let primaryPort = try primaryPort ?? copy.reservePort()
        var configuration = copy.configuration(port: 0, retry: RetryPolicy())
        configuration.listen.hostname = "relay.test"
        configuration.destination.helo = "relay.test"
        var primaryDestination = MirrorConfiguration.Destination()
        primaryDestination.host = "127.0.0.1"
        primaryDestination.port = primaryPort
        configuration.primary = primaryDestination
        if let messageSizeLimit { configuration.listen.messageSizeLimit = messageSizeLimit }
        var options = MirrorServices.Options(clock: TestClock(advance: .manually))
        options.recorded = { [changes = copy.changes] _ in changes.signal() }
        let relay = try MirrorServices(configuration, options: options, logger: logger)
        var services = relay.services
        var primaryServer: SMTPServer<ContinuousClock>?
        if let primary {
            var primaryConfiguration = SMTPServerConfiguration(host: "127.0.0.1", port: primaryPort, hostname: "old.test")
            InPathDataPolicy.apply(to: &primaryConfiguration.session)
            primaryConfiguration.dataTimeout = .seconds(20)  // bounds a test whose relay leaves the primary in DATA
            let server = SMTPServer(configuration: primaryConfiguration, sink: primary, clock: ContinuousClock(), logger: logger)
            primaryServer = server
            services.append(server)
        }
        try await MirrorHarness.running(services, logger: logger) {
            let port = try await relay.server.listeningPort()
            // The relay passes each session on to the primary at once: it must listen too.
            _ = try await primaryServer?.listeningPort()
            try await body(port, relay.spool)
        }
    }

    static let body = "Subject: in-path\r\nMessage-ID: <p1@old.test>\r\n\r\nhello\r\n"

    /// DATA that Postfix 3.7 answers 250 (checked on the testbed with raw SMTP), and the
    /// content the primary and the copy get: line ends as CRLF, everything else unchanged.
    static func postfixAccepts(_ tag: String) -> [(name: String, data: String, relayed: String)] {
        let long = String(repeating: "y", count: 5_000)
        let header = (0..<2_000).map { "X-Filler-\($0): " + String(repeating: "h", count: 70) + "\r\n" }.joined()
        return [
            ("bare LF", "Subject: \(tag) bare LF\nX-Case: lf\n\nbody\nmore\r\n", "Subject: \(tag) bare LF\r\nX-Case: lf\r\n\r\nbody\r\nmore\r\n"),
            ("bare CR", "Subject: \(tag) bare CR\r\n\r\na\rb\r\n", "Subject: \(tag) bare CR\r\n\r\na\r\nb\r\n"),
            ("NUL", "Subject: \(tag) NUL\r\n\r\nbody \u{0} nul\r\n", "Subject: \(tag) NUL\r\n\r\nbody \u{0} nul\r\n"),
            ("5,000-octet line", "Subject: \(tag) long\r\n\r\n\(long)\r\n", "Subject: \(tag) long\r\n\r\n\(long)\r\n"),
            ("170 KB header", "Subject: \(tag) header\r\n\(header)\r\nbody\r\n", "Subject: \(tag) header\r\n\(header)\r\nbody\r\n"),
        ]
    }

    /// One transaction with the bytes exactly as given (the product's client would fix
    /// them); the final reply.
    static func sendRaw(port: Int, to recipient: String, data: String, timeout: Int = 30) async throws -> String {
        let session = try await SMTPTestSession(TestbedEndpoint(host: "127.0.0.1", port: port), timeout: timeout)
        for (command, code) in [("MAIL FROM:<sender@ext.example>", 250), ("RCPT TO:<\(recipient)>", 250), ("DATA", 354)] {
            try await session.socket.write(command + "\r\n")
            let reply = try await session.reply(after: command)
            guard reply.code == code else { return reply.text }
        }
        try await session.socket.write(data + ".\r\n")  // every case ends with CRLF
        let final = try await session.reply(after: "the end of DATA").text
        try await session.quit()
        return final
    }

    /// In-path mode never refuses mail the primary would accept: each case gets the
    /// primary's 250, and the primary and the copy get the same content.
    @Test func acceptsWhatThePrimaryAccepts() async throws {
        let primary = RecordingSink()
        let copy = MirrorHarness()
        copy.downstreamAcceptsWhatPostfixAccepts = true
        let cases = Self.postfixAccepts("inpath")
        try await MirrorEndToEndTests.withDownstream(copy) { () async throws in
            try await Self.withRelay(primary: primary, copy: copy) { (port: Int, spool: MailSpool) async throws in
                for (name, data, _) in cases {
                    let reply = try await Self.sendRaw(port: port, to: "bob@old.test", data: data)
                    #expect(reply.hasPrefix("250"), "\(name): \(reply)")
                }
                #expect(try await copy.eventually { try spool.finishedRecords().count == cases.count })
            }
        }
        #expect(primary.committed.map(\.content) == cases.map(\.relayed))
        for (name, _, relayed) in cases {
            #expect(copy.downstream.committed.contains { $0.content.hasSuffix(relayed) }, "\(name): the copy, after its trace header")
        }
    }

    @Test func primaryDecidesAndTheCopyFollows() async throws {
        let primary = RecordingSink { $0.address?.localPart == "nobody" ? SMTPReply(code: 550, EnhancedStatusCode(5, 1, 1), "user unknown") : .recipientOK }
        let copy = MirrorHarness()
        try await MirrorEndToEndTests.withDownstream(copy) { () async throws in
            try await Self.withRelay(primary: primary, copy: copy) { (port: Int, spool: MailSpool) async throws in
                let outcomes = try await copy.send(to: port, recipients: ["bob@old.test", "nobody@old.test"], body: Self.body)
                #expect(outcomes.map(\.disposition) == [.delivered, .fail])
                #expect(outcomes[1].detail == "550 5.1.1 user unknown", "the primary's reply, passed through")
                #expect(try await copy.eventually { try spool.finishedRecords().count == 1 })
            }
        }
        #expect(primary.committed.count == 1)
        #expect(primary.committed.first?.content == Self.body, "the primary gets the bytes unchanged")
        let copied = try #require(copy.downstream.committed.first)
        #expect(copied.envelope.recipients.map(\.description) == ["<bob@old.test>"])
        #expect(copied.content.hasPrefix("X-Mailferry-Mirror: ") && copied.content.hasSuffix(Self.body))
        // The copy is tagged and traced like the shadow endpoint's, and leaves with mailferry's sender.
        #expect(try copy.tag().verifyHeader(Array(copied.content.utf8)) != nil)
        #expect(copied.content.contains("\r\nReceived: from [127.0.0.1]\r\n\tby relay.test (mailferry mirror) id "))
        #expect(copied.envelope.sender.description == "<bounces@mailferry.invalid>")
    }

    /// mailferry refuses a message itself during DATA (over its size limit) after the primary
    /// answered 354: the client gets 552 at once (no RSET sent into the primary's DATA, whose
    /// reply would never come), the primary keeps nothing, and the next message goes through.
    @Test func aMessageRefusedDuringDataIsAnsweredAtOnceAndTheNextOneGoesThrough() async throws {
        let primary = RecordingSink()
        let copy = MirrorHarness()
        copy.downstreamPort = try copy.reservePort()
        try await Self.withRelay(primary: primary, copy: copy, messageSizeLimit: 2_000) { (port: Int, spool: MailSpool) async throws in
            let big = "Subject: too big\r\n\r\n" + String(repeating: String(repeating: "b", count: 78) + "\r\n", count: 40)
            // The relay answers from memory; waiting for a primary stuck in DATA would time out.
            let refused = try await Self.sendRaw(port: port, to: "bob@old.test", data: big, timeout: 5)
            #expect(refused.hasPrefix("552"), "\(refused)")
            let accepted = try await Self.sendRaw(port: port, to: "bob@old.test", data: Self.body)
            #expect(accepted.hasPrefix("250"), "\(accepted)")
        }
        #expect(primary.committed.map(\.content) == [Self.body])
    }

    @Test func primaryDownMeansTryAgainAndNoCopy() async throws {
        let copy = MirrorHarness()
        copy.downstreamPort = try copy.reservePort()
        try await Self.withRelay(primary: nil, copy: copy) { (port: Int, spool: MailSpool) async throws in
            let outcomes = try await copy.send(to: port, recipients: ["bob@old.test"], body: Self.body)
            #expect(outcomes.allSatisfy { $0.disposition == .retry && $0.reply?.code == 451 })
            #expect(try spool.entries().isEmpty)
        }
    }

    @Test func copyDestinationDownDoesNotChangeWhatTheSenderSees() async throws {
        let primary = RecordingSink()
        let copy = MirrorHarness()
        copy.downstreamPort = try copy.reservePort()
        try await Self.withRelay(primary: primary, copy: copy) { (port: Int, spool: MailSpool) async throws in
            let outcomes = try await copy.send(to: port, recipients: ["bob@old.test"], body: Self.body)
            #expect(outcomes.map(\.disposition) == [.delivered])
            #expect(try await copy.eventually { try spool.entries().first?.states == [.deferred] })
            #expect(try spool.entries().first?.attempts == 1)
        }
        #expect(primary.committed.count == 1)
    }
}
