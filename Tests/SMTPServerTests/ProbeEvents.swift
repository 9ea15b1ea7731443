import Synchronization

@testable import SMTPServer

/// The server's connection probe as a queue the test reads in order.
final class ProbeEvents: Sendable {
    private struct State {
        var pending: [ConnectionProbe.Event] = []
        var waiter: CheckedContinuation<ConnectionProbe.Event, Never>?
    }

    private let state = Mutex(State())
    var probe: ConnectionProbe {
        ConnectionProbe { [weak self] event in self?.deliver(event) }
    }

    private func deliver(_ event: ConnectionProbe.Event) {
        let waiter: CheckedContinuation<ConnectionProbe.Event, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// The next event, waiting for it if none is pending (one reader at a time; the test's
    /// time limit ends a wait for an event that never comes).
    private func next() async -> ConnectionProbe.Event {
        await withCheckedContinuation { (continuation: CheckedContinuation<ConnectionProbe.Event, Never>) in
            let event: ConnectionProbe.Event? = state.withLock { state in
                guard state.pending.isEmpty else { return state.pending.removeFirst() }
                state.waiter = continuation
                return nil
            }
            if let event { continuation.resume(returning: event) }
        }
    }

    /// Forgets the events so far: what the test waits for next is caused by what it does next.
    func discardPending() {
        state.withLock { $0.pending.removeAll() }
    }

    /// The next event that `matches`, skipping others.
    func next(where matches: (ConnectionProbe.Event) -> Bool) async -> ConnectionProbe.Event? {
        for _ in 0..<100_000 {
            let event = await next()
            if matches(event) { return event }
        }
        return nil
    }

    func next(_ event: ConnectionProbe.Event) async -> ConnectionProbe.Event? {
        await next { $0 == event }
    }

    func nextCheck() async -> ConnectionProbe.Event? {
        await next { if case .deadlineChecked = $0 { true } else { false } }
    }

    func nextEnd() async -> ConnectionProbe.Event? {
        await next { if case .ended = $0 { true } else { false } }
    }
}
