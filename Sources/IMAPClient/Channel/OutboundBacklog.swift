import Synchronization

/// Bytes handed to a connection's writer and not yet taken by the socket, shared by the
/// connection (which adds them as it writes) and its channel handler (which subtracts them
/// when each write completes, or fails because the channel closed).
///
/// The channel's writability alone does not bound memory: a write is queued on the event
/// loop before the channel counts it, so a fast producer (an APPEND of a staged batch) can
/// queue megabytes while the event loop is busy elsewhere, and TLS then holds every queued
/// write's ciphertext. The writer waits here instead until the socket has taken the bytes.
final class OutboundBacklog: Sendable {
    /// Above this many bytes in flight, a writer waits...
    let highWater: Int
    /// ...until no more than this many remain.
    let lowWater: Int

    private struct State {
        var bytes = 0
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
    }

    private let state = Mutex(State())

    init(highWater: Int = 256 * 1024, lowWater: Int = 64 * 1024) {
        precondition(highWater >= lowWater && lowWater >= 0)
        self.highWater = highWater
        self.lowWater = lowWater
    }

    var bytes: Int { state.withLock { $0.bytes } }

    /// The writer queued `count` bytes.
    func add(_ count: Int) {
        state.withLock { state in
            if !state.closed { state.bytes += count }
        }
    }

    /// `count` bytes were written to the socket (or dropped with the channel): a waiting
    /// writer goes on once the backlog is at the low-water mark.
    func complete(_ count: Int) {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard !state.closed else { return nil }
            state.bytes -= count
            guard state.bytes <= lowWater, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// The channel is gone: nothing more will complete, so nobody may wait.
    func drop() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            state.closed = true
            state.bytes = 0
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns at once below the high-water mark; otherwise when the socket has taken enough
    /// to get down to the low-water mark (or the channel closed). One writer at a time.
    func waitForRoom() async {
        guard bytes > highWater else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                guard !state.closed, state.bytes > lowWater else { return true }
                precondition(state.waiter == nil, "two writers waited on one connection")
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
