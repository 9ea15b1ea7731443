import NIOCore
import Synchronization

/// The deadline of the read or write in progress. A watchdog closes the channel when it
/// passes, which ends the pending read or write with an error that the reader turns into
/// `SMTPClientError.timeout`.
final class ClientDeadline<C: Clock>: Sendable where C.Duration == Duration {
    struct State {
        var deadline: C.Instant?
        var expired = false
    }

    private let state = Mutex(State())
    let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
    }

    func arm(_ deadline: C.Instant) {
        state.withLock { $0.deadline = deadline }
    }

    /// Stop the clock; true if it had already expired.
    func disarm() -> Bool {
        state.withLock { state in
            state.deadline = nil
            return state.expired
        }
    }

    var deadline: C.Instant? { state.withLock { $0.deadline } }

    func check(now: C.Instant) {
        let expired = state.withLock { state in
            guard let deadline = state.deadline, deadline <= now, !state.expired else { return false }
            state.expired = true
            return true
        }
        if expired { channel.close(promise: nil) }
    }
}
