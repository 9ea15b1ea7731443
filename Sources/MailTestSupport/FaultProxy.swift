import Foundation

/// A TCP proxy on 127.0.0.1 that injects network faults between a client under test and a
/// real server (the testbed's IMAP, POP3 or SMTP): it cuts a connection after N bytes in
/// either direction or right after a byte pattern (say, inside a `{12345}` literal), delays
/// every chunk, or refuses new connections for a while, and counts connections and bytes.
///
///     let proxy = try FaultProxy(target: testbed.new.imap)
///     defer { proxy.stop() }
///     proxy.enqueue(.cut(.afterPattern("BODY[] {", .serverToClient, then: 100)))
///     let imap = try await IMAPTestSession(proxy.endpoint)  // the first connection is cut mid-literal
///
/// Each connection runs on a thread of its own and takes a plan when it is accepted: the
/// first queued one (``enqueue(_:)``), else the default plan. Every loop is bounded: a
/// connection ends after `idleTimeout` without traffic, and the whole proxy stops itself
/// after `lifetime`. ``stop()`` closes every socket it opened and waits for its threads.
public final class FaultProxy: @unchecked Sendable {
    /// The server connections are forwarded to.
    public let target: TestbedEndpoint
    /// The proxy's ephemeral port on 127.0.0.1.
    public let port: Int
    private let listener: FaultProxyListener
    private let state: FaultProxyState

    /// Starts listening and accepting at once.
    public init(
        target: TestbedEndpoint, plan: FaultPlan = .passThrough,
        idleTimeout: Duration = .seconds(300), lifetime: Duration = .seconds(900)
    ) throws {
        let (fd, port) = try LoopbackSocket.makeListener()
        self.target = target
        self.port = port
        listener = FaultProxyListener(fd: fd)
        state = FaultProxyState(defaultPlan: plan)
        state.threadStarted()
        let (listener, state, deadline) = (listener, state, ContinuousClock.now + lifetime)
        Thread { listener.acceptLoop(state: state, target: target, idleTimeout: idleTimeout, deadline: deadline) }.start()
    }

    deinit {
        stop()
    }

    /// Where clients connect instead of the target (same `tls` as the target).
    public var endpoint: TestbedEndpoint {
        TestbedEndpoint(host: "127.0.0.1", port: port, tls: target.tls)
    }

    /// Connections accepted from now on, when none is queued, run under `plan`.
    public func setDefaultPlan(_ plan: FaultPlan) {
        state.setDefaultPlan(plan)
    }

    /// The next connections take these plans, one each, in order; later ones the default.
    public func enqueue(_ plans: FaultPlan...) {
        state.enqueue(plans)
    }

    /// New connections are refused (the client's connect fails with ECONNREFUSED) for
    /// `duration`; connections the proxy has accepted go on, ones still waiting in the
    /// kernel's backlog are reset. The port stays reserved meanwhile.
    public func refuseConnections(for duration: Duration) {
        listener.refuse(for: duration)
    }

    /// Returns once the proxy accepts new connections (the end of a refusal window), woken by
    /// the listener itself; false if it stopped or `timeout` passed first.
    public func waitUntilAccepting(timeout: Duration = .seconds(30)) async -> Bool {
        await listener.changes.until(timeout: timeout) { listener.isAccepting || listener.isStopped } && listener.isAccepting
    }

    /// Returns once the proxy's listener is closed (``stop()``, or the proxy's lifetime
    /// passed), woken by the listener itself; false if `timeout` passes first.
    public func waitUntilStopped(timeout: Duration = .seconds(30)) async -> Bool {
        await listener.changes.until(timeout: timeout) { listener.isStopped }
    }

    /// How connection `index` (in accept order) ended, once it has: a wait on the proxy's
    /// own record, woken when a connection ends; nil if `timeout` passes first.
    public func end(ofConnection index: Int, timeout: Duration = .seconds(30)) async -> FaultProxyConnectionStats.End? {
        var end: FaultProxyConnectionStats.End?
        _ = await state.connectionEnded.until(timeout: timeout) {
            end = state.end(ofConnection: index)
            return end != nil
        }
        return end
    }

    /// What happened so far.
    public var stats: FaultProxyStats {
        state.snapshot
    }

    /// Closes the listener and every connection (clients and server see end of stream) and
    /// waits for the proxy's threads, at most 5 s. True when everything is closed. Safe to
    /// call more than once.
    @discardableResult
    public func stop() -> Bool {
        state.stopAll()
        listener.wake()
        return state.waitForThreads(until: Date().addingTimeInterval(5))
    }
}
