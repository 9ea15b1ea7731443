import MailSpool

/// Which entry to deliver next (Postfix qmgr's strategies, named):
/// - a bounded active set: only `concurrency` workers ask, each for one entry at a time;
/// - fairness: fresh and retried entries alternate, so a backlog of retries cannot starve
///   new mail, nor the reverse;
/// - exponential backoff per entry (deferred entries wait for their time);
/// - a destination status cache: after a site failure the destination is paused, so a dead
///   next hop is not hammered with one connection per queued message.
actor DeliveryScheduler {
    private var fresh: [QueueID] = []
    private var retried: [QueueID] = []
    private var deferred: [QueueID: Double] = [:]
    private var queued = Set<QueueID>()
    private var preferFresh = true
    private var pausedUntil: Double?
    private var waiters: [CheckedContinuation<QueueID?, Never>] = []
    private var isShutDown = false

    /// A newly committed entry.
    func addFresh(_ id: QueueID) {
        guard queued.insert(id).inserted else { return }
        fresh.append(id)
        wake()
    }

    /// An entry to try at `time` (Unix), or now if nil.
    func schedule(_ id: QueueID, at time: Double?, now: Double) {
        guard queued.insert(id).inserted else { return }
        if let time, time > now {
            deferred[id] = time
        } else {
            retried.append(id)
            wake()
        }
    }

    /// The destination failed as a whole: no new attempts until `time`.
    func pauseDestination(until time: Double) {
        pausedUntil = max(pausedUntil ?? 0, time)
    }

    /// The destination answered: lift any pause.
    func destinationIsUp() {
        pausedUntil = nil
    }

    /// Move entries whose time has come, lift an expired pause, wake workers. Returns the
    /// next time something becomes due (for the timer).
    func tick(now: Double) -> Double? {
        for (id, time) in deferred where time <= now {
            deferred[id] = nil
            retried.append(id)
        }
        if let pausedUntil, pausedUntil <= now { self.pausedUntil = nil }
        wake()
        return [deferred.values.min(), pausedUntil].compactMap { $0 }.min()
    }

    /// Wait for the next entry; nil at shutdown.
    func next() async -> QueueID? {
        if let id = takeReady() { return id }
        if isShutDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// The next entry if one is ready now (to keep a connection busy), else nil.
    func nextIfReady() -> QueueID? {
        takeReady()
    }

    func shutdown() {
        isShutDown = true
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.resume(returning: nil) }
    }

    var counts: (ready: Int, deferred: Int) { (fresh.count + retried.count, deferred.count) }

    private func takeReady() -> QueueID? {
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

    private func wake() {
        while !waiters.isEmpty, let id = takeReady() {
            waiters.removeFirst().resume(returning: id)
        }
    }
}
