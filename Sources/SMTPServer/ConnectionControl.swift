import NIOCore
import SMTPCodec
import Synchronization

/// Deadlines and shutdown for one connection, shared by its reader, its watchdog and the
/// server. The connection is closed from outside only while the reader waits on the client:
/// for input (a command, message content) or for output (the client reading our replies).
/// A sink call in progress (a commit) is never cut short.
final class ConnectionControl<C: Clock>: Sendable where C.Duration == Duration {
    /// What the reader waits for.
    enum Wait: Sendable {
        case input
        /// The client is not reading our replies: a 421 could not reach it either.
        case output
    }

    struct State {
        var deadline: C.Instant?
        var waiting: Wait?
        var inTransaction = false
        /// Set by graceful shutdown: a transaction in flight may go on until then.
        var shutdownDeadline: C.Instant?
        var closedByControl = false
    }

    private let state = Mutex(State())
    let channel: any Channel
    let probe: ConnectionProbe?

    init(channel: any Channel, probe: ConnectionProbe? = nil) {
        self.channel = channel
        self.probe = probe
    }

    /// The reader is about to wait on the client. Returns false when the server is shutting
    /// down and this connection may not wait any more (it is idle, or its grace period is
    /// over): the reader should say 421 and close.
    func beginWait(_ wait: Wait, until deadline: C.Instant, inTransaction: Bool, now: C.Instant) -> Bool {
        let allowed = state.withLock { state in
            if let shutdownDeadline = state.shutdownDeadline, !inTransaction || shutdownDeadline <= now { return false }
            state.deadline = deadline
            state.waiting = wait
            state.inTransaction = inTransaction
            return true
        }
        if allowed { probe?.report(wait == .input ? .waitingForInput : .waitingForOutput) }
        return allowed
    }

    /// The wait is over. True if the control closed the connection meanwhile.
    func endWait() -> Bool {
        state.withLock { state in
            state.waiting = nil
            return state.closedByControl
        }
    }

    /// When the watchdog should look next: the reader's deadline or the end of the shutdown
    /// grace period, whichever comes first.
    var nextDeadline: C.Instant? {
        state.withLock { state in
            switch (state.deadline, state.shutdownDeadline) {
            case (let deadline?, let shutdown?): min(deadline, shutdown)
            case (let deadline, nil): deadline
            case (nil, let shutdown): shutdown
            }
        }
    }

    /// Graceful shutdown: close now if idle; a connection in a transaction may finish it
    /// until `graceUntil`, then it is closed with 421 like an idle one.
    func requestShutdown(graceUntil: C.Instant) {
        let wait: Wait? = state.withLock { state in
            state.shutdownDeadline = graceUntil
            guard let waiting = state.waiting, !state.inTransaction, !state.closedByControl else { return nil }
            state.closedByControl = true
            return waiting
        }
        if let wait { sayAndClose(.shuttingDown, wait) }
    }

    /// The watchdog woke up: close the connection if the reader is still waiting past its
    /// deadline (421 timeout) or past the shutdown grace period (421 shutting down).
    func checkDeadline(now: C.Instant) -> Bool {
        let expired: (SMTPReply, Wait)? = state.withLock { state in
            guard let waiting = state.waiting, !state.closedByControl else { return nil }
            let reply: SMTPReply
            if let deadline = state.deadline, deadline <= now {
                reply = .timeout
            } else if let shutdown = state.shutdownDeadline, shutdown <= now {
                reply = .shuttingDown
            } else {
                return nil
            }
            state.closedByControl = true
            return (reply, waiting)
        }
        probe?.report(.deadlineChecked(expired: expired != nil))
        guard let (reply, wait) = expired else { return false }
        sayAndClose(reply, wait)
        return true
    }

    /// A client that is not reading would never get the 421, and waiting for that write
    /// would keep the connection: close at once. Otherwise say why, then close.
    private func sayAndClose(_ reply: SMTPReply, _ wait: Wait) {
        probe?.report(.closedByControl(reply.code))
        let channel = self.channel
        guard wait == .input else {
            channel.close(promise: nil)
            return
        }
        channel.writeAndFlush(ByteBuffer(string: reply.wireString)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
