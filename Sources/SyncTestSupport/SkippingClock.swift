import Synchronization

/// A clock whose sleeps return at once, moving its time to the deadline, and that records
/// every deadline slept until: a sync's backoffs cost a test nothing, and the test reads
/// when each one would have ended.
public final class SkippingClock: Clock, Sendable {
    public struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock was made.
        public var offset: Duration
        public init(offset: Duration) { self.offset = offset }
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        public var description: String { "t+\(offset)" }
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleeps: [Instant] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// Every deadline slept until, in order.
    public var sleeps: [Instant] { state.withLock { $0.sleeps } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(deadline)
            if state.now < deadline { state.now = deadline }
        }
    }
}
