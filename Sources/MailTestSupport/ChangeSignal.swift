import Synchronization

/// Waiting for state that code in this process changes (a sink that records a delivery, a
/// queue manager that records a verdict, a log handler), on the changes themselves: each
/// producer calls ``signal()`` after it changed something, and a waiter checks its condition
/// again. A signal between a check and the wait is never lost: the waiter waits for a
/// generation newer than the one it read before checking.
///
/// For files that other processes write, use ``DirectoryWatch``.
public final class ChangeSignal: Sendable {
    private struct State {
        var generation = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// How many changes were signalled so far.
    public var generation: Int { state.withLock { $0.generation } }

    /// Something changed: wake every waiter.
    public func signal() {
        let woken = state.withLock { state in
            state.generation += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once the generation is past `generation`, or the task is cancelled.
    func change(after generation: Int) async {
        let id = self.state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state in
                    if state.generation > generation || Task.isCancelled { return true }
                    state.waiters[id] = waiter
                    return false
                }
                if resumeNow { waiter.resume() }
            }
        } onCancel: {
            self.state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Returns once the generation is past `generation` or `deadline` passes, whichever is first.
    func change(after generation: Int, until deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.change(after: generation) }
            // The bound for a change that never comes, not a delay: cancelled on the first change.
            group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
            _ = await group.next()
            group.cancelAll()
        }
    }

    /// True once `condition` holds, checked at the start and after each signal; false if
    /// `timeout` passes first (a bound for what never happens, not a delay).
    public func until(timeout: Duration, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            let seen = generation
            if try condition() { return true }
            guard ContinuousClock.now < deadline else { return false }
            await change(after: seen, until: deadline)
        }
    }

    /// Returns `body`'s value once it has one, checking it at the start and after each signal;
    /// throws ``PollTimeout`` naming `what` if `timeout` passes first.
    public func until<T>(_ what: String, timeout: Duration = .seconds(30), _ body: () throws -> T?) async throws -> T {
        var value: T?
        _ = try await until(timeout: timeout) {
            value = try body()
            return value != nil
        }
        guard let value else { throw PollTimeout(what: what, seconds: Double(timeout.components.seconds)) }
        return value
    }
}
