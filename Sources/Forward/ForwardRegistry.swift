import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// The state a forwarder's connections share across event loops: the open connections
/// (for the caps and for a stop), the counters, and the waiters for a drain. One lock, held
/// only for a few field updates.
final class ForwardRegistry: Sendable {
    enum Admission: Equatable {
        case accepted(id: Int)
        case rejectedTotalCap
        case rejectedSourceCap
        case stopping
    }

    private struct State {
        var nextID = 1
        var open: [Int: (close: @Sendable () -> Void, source: String)] = [:]
        var perSource: [String: Int] = [:]
        var counters = ForwardCounters()
        /// Distinct addresses per hour, keyed by the hour's number since 1970.
        var hours: [Int: Set<String>] = [:]
        var stopping = false
        var drained: [EventLoopPromise<Void>] = []
    }

    /// Hours kept, and addresses counted per hour: both bound the memory a flood of
    /// addresses could take. Past the second bound an hour's count stops growing.
    static let hoursKept = 48
    static let addressesPerHour = 100_000

    private let state = NIOLockedValueBox(State())
    private let limits: (total: Int, perSource: Int)
    private let now: @Sendable () -> Date

    init(maxConnections: Int, maxConnectionsPerSource: Int, now: @escaping @Sendable () -> Date) {
        limits = (maxConnections, maxConnectionsPerSource)
        self.now = now
    }

    /// Admits a new connection from `source` (an address without port) or says why not.
    /// `close` closes the connection at once from any thread (a stop's grace is over).
    func admit(source: String, close: @escaping @Sendable () -> Void) -> Admission {
        let hour = Int(now().timeIntervalSince1970 / 3600)
        return state.withLockedValue { state in
            if state.stopping { return .stopping }
            guard state.open.count < limits.total else {
                state.counters.rejectedTotalCap += 1
                return .rejectedTotalCap
            }
            guard state.perSource[source, default: 0] < limits.perSource else {
                state.counters.rejectedSourceCap += 1
                return .rejectedSourceCap
            }
            let id = state.nextID
            state.nextID += 1
            state.open[id] = (close, source)
            state.perSource[source, default: 0] += 1
            state.counters.accepted += 1
            if state.hours[hour, default: []].count < Self.addressesPerHour { state.hours[hour, default: []].insert(source) }
            for old in state.hours.keys where old <= hour - Self.hoursKept { state.hours[old] = nil }
            return .accepted(id: id)
        }
    }

    /// The connection `id` is closed (both sides); wakes a drain waiting for the last one.
    func release(_ id: Int) {
        let waiters: [EventLoopPromise<Void>] = state.withLockedValue { state in
            guard let entry = state.open.removeValue(forKey: id) else { return [] }
            let left = state.perSource[entry.source, default: 1] - 1
            state.perSource[entry.source] = left > 0 ? left : nil
            guard state.stopping, state.open.isEmpty else { return [] }
            defer { state.drained = [] }
            return state.drained
        }
        for waiter in waiters { waiter.succeed() }
    }

    func count(fromClient bytes: Int) { state.withLockedValue { $0.counters.bytesFromClients += bytes } }
    func count(fromUpstream bytes: Int) { state.withLockedValue { $0.counters.bytesFromUpstreams += bytes } }
    func countUpstreamFailure() { state.withLockedValue { $0.counters.upstreamFailures += 1 } }
    func countIdleClose() { state.withLockedValue { $0.counters.idleClosed += 1 } }

    var counters: ForwardCounters {
        state.withLockedValue { state in
            var counters = state.counters
            counters.active = state.open.count
            counters.clientAddressesByHour = state.hours.keys.sorted().map {
                .init(hour: Date(timeIntervalSince1970: Double($0) * 3600), addresses: state.hours[$0]?.count ?? 0)
            }
            return counters
        }
    }

    /// Refuses new connections from now on; `promise` succeeds once none is open.
    func beginStop(notifying promise: EventLoopPromise<Void>) {
        let done = state.withLockedValue { state -> Bool in
            state.stopping = true
            if state.open.isEmpty { return true }
            state.drained.append(promise)
            return false
        }
        if done { promise.succeed() }
    }

    /// Closes every open connection at once; returns how many there were.
    @discardableResult
    func closeAll() -> Int {
        let closers = state.withLockedValue { $0.open.values.map(\.close) }
        for close in closers { close() }
        return closers.count
    }
}
