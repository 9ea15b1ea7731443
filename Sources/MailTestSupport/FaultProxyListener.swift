import Foundation

/// The listening side of a ``FaultProxy``: the accept loop (a thread of its own) and the
/// refusal window. It closes its socket itself when the loop ends, so no other thread ever
/// touches a closed descriptor.
final class FaultProxyListener: @unchecked Sendable {
    let fd: Int32
    private let lock = NSLock()
    private var refusedUntil: ContinuousClock.Instant?
    private var isClosed = false
    /// Signalled when the listener starts or ends a refusal window, and when it closes.
    let changes = ChangeSignal()

    init(fd: Int32) {
        self.fd = fd
    }

    /// Refuses new connections (ECONNREFUSED) until `duration` from now; a second call
    /// moves the end of the window.
    func refuse(for duration: Duration) {
        lock.withLock {
            guard !isClosed else { return }
            if refusedUntil == nil { LoopbackSocket.stopListening(fd) }
            refusedUntil = ContinuousClock.now + duration
        }
        changes.signal()
    }

    /// Accepting new connections: not in a refusal window, not closed.
    var isAccepting: Bool { lock.withLock { !isClosed && refusedUntil == nil } }

    /// Closed for good: the proxy stopped, or its lifetime passed.
    var isStopped: Bool { lock.withLock { isClosed } }

    /// Wakes the accept loop so it sees that the proxy stops.
    func wake() {
        lock.withLock {
            if !isClosed && refusedUntil == nil { LoopbackSocket.stopListening(fd) }
        }
    }

    /// Accepts until the proxy stops or `deadline` passes (then it stops the proxy), and
    /// starts a ``FaultProxyRelay`` thread per connection.
    func acceptLoop(state: FaultProxyState, target: TestbedEndpoint, idleTimeout: Duration, deadline: ContinuousClock.Instant) {
        defer {
            lock.withLock {
                isClosed = true
                close(fd)
            }
            changes.signal()
            state.threadEnded()
        }
        while !state.stopping {
            guard ContinuousClock.now < deadline else {
                state.stopAll()
                return
            }
            guard isListening() else {
                // Refusing: wait for the window's end or a stop, then look again. Without a
                // window, listening again failed: that is retried shortly.
                _ = state.waitForStop(until: min(deadline, refusalEnd ?? ContinuousClock.now + .milliseconds(10)))
                continue
            }
            guard LoopbackSocket.readable([fd], milliseconds: 50)[0], let client = LoopbackSocket.acceptPending(fd) else { continue }
            // A connection that slipped in as a refusal began is refused too.
            guard isListening(), let (index, plan) = state.admit(client: client) else {
                LoopbackSocket.closeAbortively(client)
                continue
            }
            let relay = FaultProxyRelay(state: state, index: index, plan: plan, client: client, target: target, idleTimeout: idleTimeout)
            Thread { relay.run() }.start()
        }
    }

    /// When the current refusal window ends; nil outside one.
    private var refusalEnd: ContinuousClock.Instant? { lock.withLock { refusedUntil } }

    /// False during a refusal window; resumes listening when the window has passed.
    private func isListening() -> Bool {
        let resumed: Bool? = lock.withLock {
            guard let until = refusedUntil else { return nil }
            guard ContinuousClock.now >= until else { return false }
            refusedUntil = nil
            // The port stayed bound, so listening again cannot lose it.
            return LoopbackSocket.resumeListening(fd)
        }
        guard let resumed else { return true }
        if resumed { changes.signal() }
        return resumed
    }
}
