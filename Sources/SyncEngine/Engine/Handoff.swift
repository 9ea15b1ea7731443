import Synchronization

/// A value made by a child task and lent to its parent: the child offers it with
/// ``lend(_:)`` and stays in its scope until the parent calls ``release()``. A session is
/// lent this way so that it is closed (LOGOUT) by the store's `withSession` that opened it;
/// the records read while sessions log in (``StateReadAhead``) so that the parent can start
/// before they are read and wait for them only where it needs them.
final class Handoff<Value: Sendable>: Sendable {
    private struct State {
        var outcome: Result<Value, any Error>?
        var taker: CheckedContinuation<Value, any Error>?
        var released = false
        var lender: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// The child: the value is ready (the session is open); wait until the parent is done with it.
    func lend(_ value: Value) async {
        let taker = state.withLock { state in
            state.outcome = .success(value)
            defer { state.taker = nil }
            return state.taker
        }
        taker?.resume(returning: value)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                guard !state.released else { return true }
                state.lender = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// The child: the value could not be made (the session could not be opened).
    func fail(_ error: any Error) {
        let taker = state.withLock { state in
            if state.outcome == nil { state.outcome = .failure(error) }
            defer { state.taker = nil }
            return state.taker
        }
        taker?.resume(throwing: error)
    }

    /// The parent: the value once it is ready, or the error that prevented it. One taker at a
    /// time; taken again once it is ready, the same outcome.
    func take() async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            let outcome = state.withLock { state in
                if state.outcome == nil { state.taker = continuation }
                return state.outcome
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// The parent is done (or gave up): the child may leave its scope (close the session). Idempotent.
    func release() {
        let lender = state.withLock { state in
            state.released = true
            defer { state.lender = nil }
            return state.lender
        }
        lender?.resume()
    }
}
