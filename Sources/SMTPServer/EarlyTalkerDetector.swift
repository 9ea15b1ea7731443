import NIOCore
import Synchronization

/// Notes whether the client sent anything before our banner (§4 S-P2, like postscreen's
/// pregreet test). Installed only when a greeting delay is configured.
final class EarlyTalkerDetector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    final class Flag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    let flag: Flag

    init(flag: Flag) {
        self.flag = flag
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        flag.set()
        context.fireChannelRead(data)
    }
}
