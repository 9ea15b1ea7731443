import NIOCore
import SMTPCodec
import Synchronization

/// Deadlines and shutdown for one connection, shared by its reader, its watchdog and the
/// server. Only an idle connection (waiting for the client, no transaction open) is closed
/// from outside; a connection in the middle of a transaction finishes it first.
final class ConnectionControl<C: Clock>: Sendable where C.Duration == Duration {
    struct State {
        var deadline: C.Instant?
        var waiting = false
        var inTransaction = false
        var shutdownRequested = false
        var closedByControl = false
    }

    private let state = Mutex(State())
    let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
    }

    /// The reader is about to wait for the client. Returns false when the server is
    /// shutting down and this connection is idle: the reader should say 421 and close.
    func beginWait(until deadline: C.Instant, inTransaction: Bool) -> Bool {
        state.withLock { state in
            if state.shutdownRequested && !inTransaction { return false }
            state.deadline = deadline
            state.waiting = true
            state.inTransaction = inTransaction
            return true
        }
    }

    /// The reader got input (or an error). True if the control closed the connection meanwhile.
    func endWait() -> Bool {
        state.withLock { state in
            state.waiting = false
            return state.closedByControl
        }
    }

    /// The next deadline the watchdog should wake up for.
    var deadline: C.Instant? { state.withLock { $0.deadline } }

    var isShutdownRequested: Bool { state.withLock { $0.shutdownRequested } }

    /// Graceful shutdown: close now if idle, otherwise when the transaction is done.
    func requestShutdown() {
        let closeNow = state.withLock { state in
            state.shutdownRequested = true
            guard state.waiting && !state.inTransaction && !state.closedByControl else { return false }
            state.closedByControl = true
            return true
        }
        if closeNow { sayAndClose(.shuttingDown) }
    }

    /// The watchdog woke up: close with 421 if the reader has waited past its deadline.
    func checkDeadline(now: C.Instant) -> Bool {
        let expired = state.withLock { state in
            guard state.waiting, !state.closedByControl, let deadline = state.deadline, deadline <= now else { return false }
            state.closedByControl = true
            return true
        }
        if expired { sayAndClose(.timeout) }
        return expired
    }

    private func sayAndClose(_ reply: SMTPReply) {
        let channel = self.channel
        channel.writeAndFlush(ByteBuffer(string: reply.wireString)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
