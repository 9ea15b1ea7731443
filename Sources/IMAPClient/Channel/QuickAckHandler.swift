#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Acknowledges every TCP segment at once instead of after the kernel's delayed-ACK timer.
///
/// IMAP servers write a long response in pieces (Courier's `couriertls` one TLS record at a
/// time) with Nagle's algorithm on: a piece smaller than a segment waits until the previous
/// one is acknowledged, and a client in delayed-ACK mode acknowledges only after its timer,
/// stalling most responses larger than one TLS record (a FETCH of a folder's flags, every
/// batch of bodies). Linux forgets `TCP_QUICKACK` after a while, so it
/// is set again after every read; setting it also sends an acknowledgement that was pending.
/// Sits at the front of the pipeline (before TLS), so it sees every read from the socket.
final class QuickAckHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        Self.acknowledgeNow(context.channel)
        context.fireChannelRead(data)
    }

    static func acknowledgeNow(_ channel: any Channel) {
        #if os(Linux)
        let option = ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: CInt(TCP_QUICKACK)))
        try? channel.syncOptions?.setOption(option, value: 1)
        #endif
    }
}
