import Foundation
import NIOCore
import NIOPosix

/// The forwarder benchmark's server: a line protocol on loopback that costs next to nothing,
/// so what the benchmark measures is the path, not the server. `PING` is answered `PONG`
/// (the round trip of a small IMAP command), `GET N` with N bytes (a large FETCH's body).
/// Behind the forwarder each connection starts with a PROXY v2 header, which it skips.
final class ForwardBenchUpstream: Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) { self.channel = channel }

    /// One listener on 127.0.0.1; `proxyHeader`: connections start with a PROXY v2 header.
    static func start(proxyHeader: Bool, group: any EventLoopGroup) async throws -> ForwardBenchUpstream {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(proxyHeader: proxyHeader)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ForwardBenchUpstream(channel: channel)
    }

    func stop() async { try? await channel.close() }

    /// The payload every `GET` sends slices of (slices share its storage: no copy per reply).
    static let block = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 20)

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var pending = ByteBuffer()
        private var headerLeft: Int?

        init(proxyHeader: Bool) { headerLeft = proxyHeader ? -1 : 0 }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            pending.writeBuffer(&bytes)
            if headerLeft == -1 {
                // PROXY v2: 12-byte signature, version/command, family, then the length of the rest.
                guard pending.readableBytes >= 16, let length = pending.getInteger(at: pending.readerIndex + 14, as: UInt16.self) else { return }
                headerLeft = 16 + Int(length)
            }
            if let left = headerLeft, left > 0 {
                let skip = min(left, pending.readableBytes)
                pending.moveReaderIndex(forwardBy: skip)
                headerLeft = left - skip
                if left - skip > 0 { return }
            }
            while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending.readString(length: newline - pending.readerIndex + 1) ?? ""
                reply(to: line.trimmingCharacters(in: .whitespacesAndNewlines), context: context)
            }
            pending.discardReadBytes()
            context.flush()
        }

        private func reply(to line: String, context: ChannelHandlerContext) {
            if line == "PING" {
                context.write(wrapOutboundOut(ByteBuffer(string: "PONG\n")), promise: nil)
            } else if line.hasPrefix("GET "), var left = Int(line.dropFirst(4)), left >= 0 {
                while left > 0 {
                    let count = min(left, Self.block.readableBytes)
                    context.write(wrapOutboundOut(Self.block.getSlice(at: 0, length: count)!), promise: nil)
                    left -= count
                }
            } else {
                context.close(promise: nil)
            }
        }

        private static var block: ByteBuffer { ForwardBenchUpstream.block }
    }
}
