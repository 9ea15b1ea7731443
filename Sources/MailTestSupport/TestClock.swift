import Synchronization

/// The one clock tests inject wherever the code under test takes a `Clock`: its time moves
/// only by the test, never by the machine, so deadlines, retries and backoffs are exact and
/// cost no real time however loaded the machine is.
///
/// Two ways of moving time, chosen when the clock is made:
/// - ``Advance/manually``: `sleep(until:)` suspends until ``advance(by:)`` passes the
///   deadline; ``waitForSleepers(_:)`` is the event "the code under test is now waiting on the
///   clock", so a test advances exactly when something waits, instead of guessing with real
///   time (an SMTP command deadline, a shutdown grace period).
/// - ``Advance/onSleep``: each sleep returns at once and moves the time to its deadline (a
///   sync's backoffs, a cutover's retry waits, a watch's interval): long runs of waits cost
///   nothing, and ``sleeps`` tells when each one would have ended.
///
/// Either way every deadline slept until is recorded, in order, in ``sleeps``.
public final class TestClock: Clock, Sendable {
    public enum Advance: Sendable {
        case manually
        case onSleep
    }

    public struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock was made.
        public var offset: Duration
        public init(offset: Duration) { self.offset = offset }
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        public var description: String { "t+\(offset)" }
        /// ``offset`` in seconds, for code that takes wall-clock seconds beside the clock.
        public var seconds: Double {
            let parts = offset.components
            return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct SleeperWaiter {
        var id: Int
        var count: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleeps: [Instant] = []
        var sleepers: [Int: Sleeper] = [:]
        var sleeperWaiters: [SleeperWaiter] = []
        var nextID = 0

        mutating func newID() -> Int {
            nextID += 1
            return nextID
        }

        /// Removes and returns the waiters that `sleepers.count` now satisfies.
        mutating func satisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            let count = sleepers.count
            let ready = sleeperWaiters.filter { $0.count <= count }.map(\.continuation)
            sleeperWaiters.removeAll { $0.count <= count }
            return ready
        }
    }

    public let advance: Advance
    private let state = Mutex(State())

    /// A clock at `t+0` whose time moves as `advance` says.
    public init(advance: Advance) { self.advance = advance }

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// Every deadline slept until, in order.
    public var sleeps: [Instant] { state.withLock { $0.sleeps } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        switch advance {
        case .onSleep:
            state.withLock { state in
                state.sleeps.append(deadline)
                if state.now < deadline { state.now = deadline }
            }
        case .manually:
            try await suspend(until: deadline)
        }
    }

    private func suspend(until deadline: Instant) async throws {
        let id = state.withLock { $0.newID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready: [CheckedContinuation<Void, Never>] = state.withLock { state in
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                        return []
                    }
                    state.sleeps.append(deadline)
                    if deadline <= state.now {
                        continuation.resume()
                        return []
                    }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return state.satisfiedWaiters()
                }
                for waiter in ready { waiter.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let due = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Returns once at least `count` tasks are suspended on this clock, or when cancelled.
    /// Only a ``Advance/manually`` clock has sleepers to wait for.
    public func waitForSleepers(_ count: Int = 1) async {
        precondition(advance == .manually, "an .onSleep TestClock never has sleepers")
        let id = state.withLock { $0.newID() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if state.sleepers.count >= count || Task.isCancelled { return true }
                    state.sleeperWaiters.append(SleeperWaiter(id: id, count: count, continuation: continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.sleeperWaiters.removeAll { $0.id == id } }
                return state.sleeperWaiters.first { $0.id == id }?.continuation
            }
            waiter?.resume()
        }
    }
}
