@testable import IMAPClient
import IMAPCodec
import NIOCore
import NIOEmbedded
import Testing

/// What the handler hands on: the same events whatever the read boundaries, and body bytes
/// that do not keep the storage of the read they arrived in alive (after TLS a read can be
/// hundreds of KB, and events wait in the channel's inbound buffer until the engine takes them).
@Suite struct IMAPClientHandlerTests {
    static let body = (0..<3_000).map { "line \($0) of the body\r\n" }.joined()

    static var response: String {
        "* OK ready\r\n* 1 FETCH (UID 7 BODY[] {\(body.utf8.count)}\r\n\(body))\r\nA1 OK done\r\n"
    }

    /// Feeds `response` in reads of `readSize` bytes, each in a buffer with spare room (as
    /// NIO's and NIOSSL's read buffers have), and returns every event.
    static func events(readSize: Int) throws -> [ResponseEvent] {
        let handler = IMAPClientHandler(parserOptions: ResponseParserOptions(), responseTimeout: .seconds(30), makeTLSHandler: nil)
        let channel = EmbeddedChannel(handler: handler)
        let bytes = Array(response.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(start + readSize, bytes.count)
            var read = ByteBufferAllocator().buffer(capacity: readSize * 2)
            read.writeBytes(bytes[start..<end])
            try channel.writeInbound(read)
            start = end
        }
        var events: [ResponseEvent] = []
        while let read = try channel.readInbound(as: [ResponseEvent].self) { events += read }
        _ = try? channel.finish()
        return events
    }

    static func bodyChunks(_ events: [ResponseEvent]) -> [ByteBuffer] {
        events.compactMap { event in
            if case .fetch(.streamingBytes(let bytes)) = event { return bytes }
            return nil
        }
    }

    @Test(arguments: [997, 4_096, 65_536, 1 << 20])
    func bodyBytesArriveExactlyAndOwnTheirStorage(readSize: Int) throws {
        let events = try Self.events(readSize: readSize)
        let chunks = Self.bodyChunks(events)
        #expect(String(decoding: chunks.flatMap { Array($0.readableBytesView) }, as: UTF8.self) == Self.body)
        // NIO rounds a storage up to a power of two: at most twice the bytes it holds.
        for chunk in chunks {
            #expect(chunk.storageCapacity <= 2 * chunk.readableBytes, "a chunk of \(chunk.readableBytes) bytes pins \(chunk.storageCapacity)")
        }
        let tagged = events.compactMap { event -> TaggedResponse? in
            if case .tagged(let response) = event { return response }
            return nil
        }
        #expect(tagged.map(\.tag) == ["A1"])
    }
}
