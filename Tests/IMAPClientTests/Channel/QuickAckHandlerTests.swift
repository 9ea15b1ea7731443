@testable import IMAPClient
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

/// The handler only acknowledges: every read passes through unchanged and in order, on a
/// real TCP socket as on a channel that has no socket options at all.
@Suite struct QuickAckHandlerTests {
    @Test func readsPassThroughUnchangedOnAChannelWithoutSockets() throws {
        let channel = EmbeddedChannel(handler: QuickAckHandler())
        for text in ["* OK ready\r\n", "", "A1 OK done\r\n"] {
            try channel.writeInbound(ByteBuffer(string: text))
        }
        for text in ["* OK ready\r\n", "", "A1 OK done\r\n"] {
            #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: text))
        }
        #expect(try channel.finish().isClean)
    }

    @Test func onATCPSocketTheBytesArriveWhole() async throws {
        let payload = ByteBuffer(repeating: 0x61, count: 300_000)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    child.writeAndFlush(payload).whenComplete { _ in child.close(promise: nil) }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.localAddress!.port!) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(QuickAckHandler())
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        var received = ByteBuffer()
        try await client.executeThenClose { inbound, _ in
            for try await var chunk in inbound { received.writeBuffer(&chunk) }
        }
        #expect(received == payload)
    }
}
