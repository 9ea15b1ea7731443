import NIOCore
import Synchronization

/// Reply octets handed to the channel and not yet written to the socket. The reader waits
/// while there are more than `limit` of them, so a client that does not read its replies
/// stops being read (its commands stay in the kernel) instead of growing our memory.
final class ReplyBacklog: Sendable {
    struct State {
        var pending = 0
        var peak = 0
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// The largest backlog seen.
    var peak: Int { state.withLock { $0.peak } }

    /// True when the reader should wait before writing more.
    var isFull: Bool { state.withLock { $0.pending > limit } }

    /// Write `bytes` and count them until the write completes (or fails: a closed channel
    /// fails every pending write, which also releases a waiting reader).
    func write(_ bytes: ByteBuffer, to channel: any Channel) {
        let count = bytes.readableBytes
        state.withLock { state in
            state.pending += count
            state.peak = max(state.peak, state.pending)
        }
        channel.writeAndFlush(bytes).whenComplete { _ in
            let waiter: CheckedContinuation<Void, Never>? = self.state.withLock { state in
                state.pending -= count
                guard state.pending <= self.limit / 2 else { return nil }
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    /// Returns once the backlog has drained to half the limit.
    func waitForDrain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = state.withLock { state in
                if state.pending <= limit / 2 { return true }
                state.waiter = continuation
                return false
            }
            if drained { continuation.resume() }
        }
    }
}
