import MailSpool
import Synchronization

/// Which entry to deliver next (Postfix qmgr's strategies, named):
/// - a bounded active set: only `concurrency` workers ask, each for one entry at a time;
/// - fairness: fresh and retried entries alternate, so a backlog of retries cannot starve
///   new mail, nor the reverse;
/// - exponential backoff per entry (deferred entries wait for their time);
/// - a destination status cache: after a site failure the destination is paused, so a dead
///   next hop is not hammered with one connection per queued message.
///
/// A lock, not an actor: every SMTP session hands its committed entry in before it answers
/// 250, and an actor would move that session to another thread and back for a few
/// array operations. Only a worker with nothing to do waits (``next()``).
final class DeliveryScheduler: Sendable {
    private struct State {
        var fresh: [QueueID] = []
        var retried: [QueueID] = []
        var deferred: [QueueID: Double] = [:]
        var queued = Set<QueueID>()
        var preferFresh = true
        var pausedUntil: Double?
        var waiters: [CheckedContinuation<QueueID?, Never>] = []
        var isShutDown = false

        mutating func takeReady() -> QueueID? {
            guard !isShutDown, pausedUntil == nil else { return nil }
            let useFresh = preferFresh ? !fresh.isEmpty : retried.isEmpty
            preferFresh.toggle()
            let id: QueueID
            if useFresh, !fresh.isEmpty {
                id = fresh.removeFirst()
            } else if !retried.isEmpty {
                id = retried.removeFirst()
            } else {
                return nil
            }
            queued.remove(id)
            return id
        }

        /// The waiting workers to resume, each with its entry (resumed outside the lock).
        mutating func wakeable() -> [(CheckedContinuation<QueueID?, Never>, QueueID)] {
            var woken: [(CheckedContinuation<QueueID?, Never>, QueueID)] = []
            while !waiters.isEmpty, let id = takeReady() {
                woken.append((waiters.removeFirst(), id))
            }
            return woken
        }
    }

    private let state = Mutex(State())

    /// A newly committed entry.
    func addFresh(_ id: QueueID) {
        resume(state.withLock { state in
            guard state.queued.insert(id).inserted else { return [] }
            state.fresh.append(id)
            return state.wakeable()
        })
    }

    /// An entry to try at `time` (Unix), or now if nil.
    func schedule(_ id: QueueID, at time: Double?, now: Double) {
        resume(state.withLock { state in
            guard state.queued.insert(id).inserted else { return [] }
            if let time, time > now {
                state.deferred[id] = time
                return []
            }
            state.retried.append(id)
            return state.wakeable()
        })
    }

    /// The destination failed as a whole: no new attempts until `time`.
    func pauseDestination(until time: Double) {
        state.withLock { $0.pausedUntil = max($0.pausedUntil ?? 0, time) }
    }

    /// The destination answered: lift any pause.
    func destinationIsUp() {
        state.withLock { $0.pausedUntil = nil }
    }

    /// Move entries whose time has come, lift an expired pause, wake workers. Returns the
    /// next time something becomes due (for the timer).
    func tick(now: Double) -> Double? {
        let (woken, next) = state.withLock { state in
            for (id, time) in state.deferred where time <= now {
                state.deferred[id] = nil
                state.retried.append(id)
            }
            if let pausedUntil = state.pausedUntil, pausedUntil <= now { state.pausedUntil = nil }
            return (state.wakeable(), [state.deferred.values.min(), state.pausedUntil].compactMap { $0 }.min())
        }
        resume(woken)
        return next
    }

    /// Wait for the next entry; nil at shutdown.
    func next() async -> QueueID? {
        await withCheckedContinuation { continuation in
            // Decided under one lock: an entry added meanwhile either is taken here or finds
            // this worker among the waiters.
            let ready: QueueID?? = state.withLock { state in
                if let id = state.takeReady() { return .some(id) }
                if state.isShutDown { return .some(nil) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The next entry if one is ready now (to keep a connection busy), else nil.
    func nextIfReady() -> QueueID? {
        state.withLock { $0.takeReady() }
    }

    func shutdown() {
        let waiting = state.withLock { state in
            state.isShutDown = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiting { waiter.resume(returning: nil) }
    }

    /// Workers waiting in ``next()`` for an entry (idle).
    var waitingWorkers: Int { state.withLock { $0.waiters.count } }

    private func resume(_ woken: [(CheckedContinuation<QueueID?, Never>, QueueID)]) {
        for (waiter, id) in woken { waiter.resume(returning: id) }
    }
}
