import Foundation

/// One connection through a ``FaultProxy``, on a thread of its own: connects to the target,
/// then forwards both ways under its ``FaultPlan`` until both sides have closed, the plan
/// cuts it, a socket fails, nothing moves for the idle timeout, or the proxy stops.
struct FaultProxyRelay: Sendable {
    let state: FaultProxyState
    let index: Int
    let plan: FaultPlan
    let client: Int32
    let target: TestbedEndpoint
    let idleTimeout: Duration

    /// Sends and receives to a peer that stops reading give up after this long.
    static let socketTimeoutSeconds = 10

    func run() {
        let server: Int32
        do {
            server = try LoopbackSocket.connected(host: target.host, port: target.port, timeout: Self.socketTimeoutSeconds)
        } catch {
            state.finish(connection: index, end: .targetFailed, sockets: [client], close: LoopbackSocket.closeGracefully)
            return
        }
        guard state.register(server) else {
            state.finish(connection: index, end: .stopped, sockets: [client, server], close: LoopbackSocket.closeGracefully)
            return
        }
        LoopbackSocket.setTimeouts(client, seconds: Self.socketTimeoutSeconds)
        let end = relay(server)
        if end == .cut, let takeover = plan.takeover {
            LoopbackSocket.shutdownBoth(server)
            play(takeover)
        }
        let close = end == .cut && plan.cutStyle == .reset ? LoopbackSocket.closeAbortively : LoopbackSocket.closeGracefully
        state.finish(connection: index, end: end, sockets: [client, server], close: close)
    }

    /// Forwards until the connection ends; says how.
    private func relay(_ server: Int32) -> FaultProxyConnectionStats.End {
        var trigger = FaultTrigger(plan.cut)
        var open = [true, true]  // read sides: client, server
        var firstClosed: FaultProxyConnectionStats.End?
        var lastActivity = ContinuousClock.now
        let sockets = [client, server]
        while true {
            if state.stopping { return .stopped }
            if ContinuousClock.now - lastActivity > idleTimeout { return .idle }
            let ready = LoopbackSocket.readable(zip(sockets, open).map { $1 ? $0 : -1 }, milliseconds: 50)
            for side in 0..<2 where ready[side] {
                let direction: FaultPlan.Direction = side == 0 ? .clientToServer : .serverToClient
                let destination = sockets[1 - side]
                switch LoopbackSocket.receive(sockets[side], max: plan.chunkSize) {
                case .bytes(let bytes):
                    lastActivity = ContinuousClock.now
                    let (forward, cut) = trigger.admit(bytes[...], direction)
                    if forward > 0 {
                        guard pause() else { return .stopped }
                        state.count(forward, direction, connection: index)
                        guard LoopbackSocket.sendAll(destination, bytes[..<forward]) else { return .failed(errno: errno) }
                    }
                    if cut { return .cut }
                case .end:
                    // Pass the half-close on; keep forwarding the other way until it ends too.
                    open[side] = false
                    LoopbackSocket.shutdownWrite(destination)
                    firstClosed = firstClosed ?? (side == 0 ? .closedByClient : .closedByServer)
                    if !open[0] && !open[1] { return firstClosed ?? .closedByClient }
                case .wouldBlock:
                    continue
                case .failed(let code):
                    return .failed(errno: code)
                }
            }
        }
    }

    /// The hostile server's part: sends what the takeover says, then stays silent (reading
    /// nothing) until the client closes, the connection idles out or the proxy stops.
    private func play(_ takeover: FaultPlan.Takeover) {
        if case .send(let unit, let times) = takeover {
            for _ in 0..<times {
                if state.stopping { return }
                guard LoopbackSocket.sendAll(client, unit[...]) else { return }
                state.count(unit.count, .serverToClient, connection: index)
            }
        }
        // The client's socket is registered with the state, so a stop shuts it down and
        // wakes this wait as the client's own close does. poll(2) can return early (EINTR):
        // the loop is bounded by the deadline.
        let deadline = ContinuousClock.now + idleTimeout
        while !state.stopping, ContinuousClock.now < deadline {
            if LoopbackSocket.peerClosed(client, before: deadline) { return }
        }
    }

    /// Waits the plan's delay (the fault: a slow peer); a stop ends it at once. False if stopped.
    private func pause() -> Bool {
        guard plan.delayPerChunk > .zero else { return true }
        return !state.waitForStop(until: ContinuousClock.now + plan.delayPerChunk)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
