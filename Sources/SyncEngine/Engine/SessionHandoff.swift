import Synchronization

/// A session opened by a child task and lent to its parent: the child offers it with
/// ``lend(_:)`` and stays inside the store's `withSession` until the parent calls
/// ``release()``, so the session is closed (LOGOUT) by the scope that opened it.
final class SessionHandoff<Session: Sendable>: Sendable {
    private struct State {
        var outcome: Result<Session, any Error>?
        var taker: CheckedContinuation<Session, any Error>?
        var released = false
        var lender: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// The child: the session is open; wait until the parent is done with it.
    func lend(_ session: Session) async {
        let taker = state.withLock { state in
            state.outcome = .success(session)
            defer { state.taker = nil }
            return state.taker
        }
        taker?.resume(returning: session)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                guard !state.released else { return true }
                state.lender = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// The child: the session could not be opened.
    func fail(_ error: any Error) {
        let taker = state.withLock { state in
            if state.outcome == nil { state.outcome = .failure(error) }
            defer { state.taker = nil }
            return state.taker
        }
        taker?.resume(throwing: error)
    }

    /// The parent: the session once it is open, or the error that prevented it.
    func take() async throws -> Session {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Session, any Error>) in
            let outcome = state.withLock { state in
                if state.outcome == nil { state.taker = continuation }
                return state.outcome
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// The parent is done (or gave up): the child may close the session. Idempotent.
    func release() {
        let lender = state.withLock { state in
            state.released = true
            defer { state.lender = nil }
            return state.lender
        }
        lender?.resume()
    }
}
