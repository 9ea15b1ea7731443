import Synchronization
import Logging
import NIOCore
import NIOEmbedded
import SMTPCodec
import SMTPTestSupport
import SMTPTransport
import Testing
@testable import SMTPServer

/// Transcript tests of one connection on `NIOAsyncTestingChannel`: the real connection
/// driver, pipeline and gate, with no sockets.
@Suite struct SMTPServerConnectionTests {
    struct Harness {
        let channel: NIOAsyncTestingChannel
        let sink: RecordingSink

        func client(_ text: String) async throws {
            try await channel.writeInbound(ByteBuffer(string: text))
        }

        /// Read server output until it ends with CRLF and holds `replies` complete replies.
        func server(replies: Int = 1) async throws -> String {
            var text = ""
            while ServerTranscriptCodes.count(text) < replies {
                let buffer = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
                text += String(buffer: buffer)
            }
            return text
        }
    }

    static func run(_ sink: RecordingSink = RecordingSink(), _ body: (Harness) async throws -> Void) async throws {
        let channel = NIOAsyncTestingChannel()
        let wrapped = try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(StartTLSGate())
            return try NIOAsyncChannel<SMTPInboundPart, ByteBuffer>(wrappingChannelSynchronously: channel)
        }
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 25))
        var configuration = SMTPServerConfiguration(host: "127.0.0.1", port: 0, hostname: "mx.test")
        configuration.commandTimeout = .seconds(30)
        let connection = SMTPServerConnection(
            channel: wrapped, configuration: configuration, sink: sink, control: ConnectionControl<ContinuousClock>(channel: channel),
            clock: ContinuousClock(), info: SMTPConnectionInfo(id: "t", remoteAddress: "127.0.0.1", logger: Logger(label: "test")),
            earlyTalker: nil)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await connection.run() }
            try await body(Harness(channel: channel, sink: sink))
            try await group.waitForAll()
        }
        // NIOAsyncChannel also passes every read to the end of the pipeline, where the testing
        // channel keeps it: drain those copies. Unread *outbound* bytes (an unexpected reply)
        // still make the finish unclean.
        while try await channel.readInbound(as: SMTPInboundPart.self) != nil {}
        let leftOver = try await channel.finish(acceptAlreadyClosed: true)
        #expect(leftOver.isClean)
    }

    @Test func transcriptOfOneMessage() async throws {
        let sink = RecordingSink()
        try await Self.run(sink) { harness in
            #expect(try await harness.server() == "220 mx.test ESMTP mailferry\r\n")
            try await harness.client("EHLO client.test\r\n")
            #expect(try await harness.server().hasPrefix("250-mx.test\r\n250-PIPELINING"))
            try await harness.client("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n")
            #expect(try await harness.server(replies: 3) == "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n")
            try await harness.client("Subject: t\r\n\r\n..x\r\n.\r\n")
            #expect(try await harness.server() == "250 2.0.0 Ok: queued\r\n")
            try await harness.client("QUIT\r\n")
            #expect(try await harness.server() == "221 2.0.0 Bye\r\n")
        }
        #expect(sink.committed.map(\.content) == ["Subject: t\r\n\r\n.x\r\n"])
    }

    /// §4 S-P1 through the real driver: the pipelined body is never accepted.
    @Test func pipelinedBodyBeforeDataReplyIsDropped() async throws {
        let sink = RecordingSink()
        try await Self.run(sink) { harness in
            _ = try await harness.server()
            try await harness.client("EHLO t\r\nMAIL FROM:<a@b>\r\nRCPT TO:<u@example.com>\r\nDATA\r\nhello\r\n.\r\n")
            #expect(try await harness.server() == SMTPReply.synchronizationError.wireString)
        }
        #expect(sink.committed.isEmpty)
    }

    /// A dropped connection mid-DATA aborts the transaction in the sink.
    @Test func lostConnectionAbortsTheTransaction() async throws {
        let sink = RecordingSink()
        try await Self.run(sink) { harness in
            _ = try await harness.server()
            try await harness.client("EHLO t\r\n")
            _ = try await harness.server()
            try await harness.client("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n")
            _ = try await harness.server(replies: 3)
            try await harness.client("partial body")
            try await harness.channel.close()
        }
        #expect(sink.committed.isEmpty)
        #expect(sink.aborts.withLock { $0 } == 1)
    }
}

enum ServerTranscriptCodes {
    /// Complete replies in `text` (final lines: code followed by a space or CRLF).
    static func count(_ text: String) -> Int {
        guard text.hasSuffix("\r\n") else { return 0 }
        return text.split(separator: "\r\n").filter { $0.count < 4 || $0[$0.index($0.startIndex, offsetBy: 3)] != "-" }.count
    }
}
