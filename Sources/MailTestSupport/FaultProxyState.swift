import Foundation

/// The mutable state a ``FaultProxy`` shares with its threads, behind one lock: plans,
/// statistics, the sockets to shut down on stop, and how many threads still run.
final class FaultProxyState: @unchecked Sendable {
    private let condition = NSCondition()
    private var stats = FaultProxyStats()
    private var defaultPlan: FaultPlan
    private var queued: [FaultPlan] = []
    private var openSockets: Set<Int32> = []
    private var threads = 0
    private var isStopping = false
    /// Signalled whenever a connection ends, for async waiters: the condition serves only
    /// the proxy's own threads, and no test may wait on it.
    let connectionEnded = ChangeSignal()

    init(defaultPlan: FaultPlan) {
        self.defaultPlan = defaultPlan
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    var snapshot: FaultProxyStats { locked { stats } }

    var stopping: Bool { locked { isStopping } }

    func setDefaultPlan(_ plan: FaultPlan) { locked { defaultPlan = plan } }

    func enqueue(_ plans: [FaultPlan]) { locked { queued += plans } }

    /// Records a new connection and hands it the next plan. nil when stopping.
    func admit(client: Int32) -> (index: Int, plan: FaultPlan)? {
        locked {
            guard !isStopping else { return nil }
            let plan = queued.isEmpty ? defaultPlan : queued.removeFirst()
            let index = stats.accepted
            stats.accepted += 1
            stats.active += 1
            stats.connections.append(FaultProxyConnectionStats(index: index, plan: plan))
            openSockets.insert(client)
            threads += 1
            return (index, plan)
        }
    }

    /// Adds a socket that ``stopAll()`` must shut down; false (and nothing added) when
    /// stopping, so the caller closes it itself.
    func register(_ fd: Int32) -> Bool {
        locked {
            guard !isStopping else { return false }
            openSockets.insert(fd)
            return true
        }
    }

    func count(_ bytes: Int, _ direction: FaultPlan.Direction, connection index: Int) {
        locked {
            if direction == .clientToServer {
                stats.bytesClientToServer += bytes
                stats.connections[index].bytesClientToServer += bytes
            } else {
                stats.bytesServerToClient += bytes
                stats.connections[index].bytesServerToClient += bytes
            }
        }
    }

    /// Records how a connection ended and closes its sockets under the lock, so that
    /// ``stopAll()`` never shuts down a descriptor number that was already reused.
    func finish(connection index: Int, end: FaultProxyConnectionStats.End, sockets: [Int32], close: (Int32) -> Void) {
        locked {
            for fd in sockets {
                openSockets.remove(fd)
                close(fd)
            }
            stats.connections[index].end = isStopping && end != .cut ? .stopped : end
            stats.active -= 1
            if end == .cut { stats.cut += 1 }
            if end == .targetFailed { stats.targetFailures += 1 }
            threads -= 1
            condition.broadcast()
        }
        connectionEnded.signal()
    }

    /// The accept thread counts as a thread too.
    func threadStarted() { locked { threads += 1 } }

    func threadEnded() {
        locked {
            threads -= 1
            condition.broadcast()
        }
    }

    /// Marks the proxy as stopping and wakes every relay: by shutting its sockets down, and
    /// the ones waiting in ``waitForStop(until:)``.
    func stopAll() {
        locked {
            isStopping = true
            for fd in openSockets { LoopbackSocket.shutdownBoth(fd) }
            condition.broadcast()
        }
    }

    /// How connection `index` ended, or nil while it goes on (or was never accepted).
    func end(ofConnection index: Int) -> FaultProxyConnectionStats.End? {
        locked { index < stats.connections.count ? stats.connections[index].end : nil }
    }

    /// Waits until the proxy stops or `deadline` passes; true if it stops.
    func waitForStop(until deadline: ContinuousClock.Instant) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !isStopping {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            _ = condition.wait(until: Date(timeIntervalSinceNow: FaultProxyRelay.seconds(left)))
        }
        return true
    }

    /// Waits until every thread has ended, at most until `deadline`; false if some remain.
    func waitForThreads(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while threads > 0 {
            if !condition.wait(until: deadline) { return threads == 0 }
        }
        return true
    }
}
