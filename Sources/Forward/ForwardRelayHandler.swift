import NIOCore

/// One side of a forwarded connection: what it reads goes to its partner (the handler on the
/// other side's channel, on the same event loop), unchanged.
///
/// Backpressure both ways: both channels run with autoRead off, and a side reads again only
/// while its partner's channel is writable (below the write-buffer high-water mark). A peer
/// that stops reading thus stops the forwarder reading from the other peer, and memory stays
/// at the high-water mark plus one read. A half-close (EOF) is passed on as a shutdown of
/// the partner's output once everything before it was written; the other direction keeps
/// flowing (SMTP and IMAP clients that shut down their side still read the last reply).
///
/// The copy loop does per read only what NIO needs: the buffer NIO read into goes to the
/// partner's channel as it is (NIO's pooled receive buffers are reused once written), and
/// everything else (the partner's flush, the byte counters, the idle clock, the next read)
/// happens once per read cycle, in ``channelReadComplete(context:)``. No handler sits between
/// the two: the idle timeout is the session's timer, not a handler that would wrap every write
/// in a promise.
final class ForwardRelayHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Side: String { case client, upstream }

    let side: Side
    /// Strong: the client channel's handler keeps its session alive; the session breaks the
    /// cycle when both channels are closed.
    var session: ForwardSession?
    var partner: ForwardRelayHandler?
    private(set) var context: ChannelHandlerContext?
    /// A read is due as soon as the partner can take more.
    private var readWanted = false
    /// Bytes read in this read cycle, counted once at its end.
    private var uncounted = 0
    /// Bytes read before the partner was linked (see ``link(to:)``).
    private var early: [ByteBuffer] = []
    private var inputClosed = false
    private var outputClosing = false
    private var closing = false

    init(side: Side, session: ForwardSession?) {
        self.side = side
        self.session = session
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelActive(context: ChannelHandlerContext) {
        if side == .client { session?.clientActive(context: context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        uncounted += buffer.readableBytes
        guard let partner, let partnerContext = partner.context else {
            early.append(buffer)
            return
        }
        partnerContext.write(partner.wrapOutboundOut(buffer), promise: nil)
    }

    /// Joins this side to the other once the upstream is connected, and passes on what
    /// arrived before: NIO reads a peer's last bytes and its EOF even with autoRead off, so
    /// a client that writes and shuts down its side before the upstream answers is served too.
    /// What it holds is bounded by the socket's receive buffer: nothing else is read early.
    func link(to partner: ForwardRelayHandler) {
        self.partner = partner
        guard let partnerContext = partner.context else { return }
        for buffer in early { partnerContext.write(partner.wrapOutboundOut(buffer), promise: nil) }
        if !early.isEmpty { partnerContext.flush() }
        early = []
        if inputClosed { partner.shutdownOutputAfterWrites() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        countRead()
        partner?.context?.flush()
        readIfPossible()
        context.fireChannelReadComplete()
    }

    private func countRead() {
        guard uncounted > 0 else { return }
        session?.count(from: side, bytes: uncounted)
        uncounted = 0
    }

    /// Asks for the next read when the partner can take it; otherwise remembers to ask when
    /// the partner becomes writable.
    func readIfPossible() {
        guard let context, !inputClosed, !closing else { return }
        guard let partnerContext = partner?.context, partnerContext.channel.isWritable else {
            readWanted = true
            return
        }
        readWanted = false
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let partner, partner.readWanted { partner.readIfPossible() }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ChannelEvent.inputClosed:
            inputClosed = true
            session?.halfClosed(side)
            partner?.shutdownOutputAfterWrites()
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        countRead()
        session?.inactive(side)
        partner?.closeAfterWrites()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        session?.failed(side, error)
        context.close(promise: nil)
    }

    /// Shuts down this channel's output once what was queued before is written (NIO would
    /// escalate the shutdown to a full close, dropping queued bytes, when the peer already
    /// closed its side).
    func shutdownOutputAfterWrites() {
        guard let context, !outputClosing, !closing else { return }
        outputClosing = true
        context.writeAndFlush(wrapOutboundOut(ByteBuffer())).assumeIsolated().whenComplete { [weak self] _ in
            guard let self, let context = self.context else { return }
            context.close(mode: .output, promise: nil)
        }
    }

    /// Closes this channel once what was queued before is written: the partner is gone, but
    /// its last bytes still reach this peer. A peer that never reads is closed by the idle
    /// timeout or a stop.
    func closeAfterWrites() {
        guard let context, !closing else { return }
        closing = true
        context.writeAndFlush(wrapOutboundOut(ByteBuffer())).assumeIsolated().whenComplete { [weak self] _ in
            self?.context?.close(promise: nil)
        }
    }

    /// Closes at once, dropping anything queued (idle timeout, end of a stop's grace).
    func closeNow() {
        closing = true
        context?.close(promise: nil)
    }
}
