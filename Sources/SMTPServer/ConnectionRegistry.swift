import Synchronization

/// The server's live connections: counts per client address (§4 S-X3) and the handles
/// graceful shutdown needs.
final class ConnectionRegistry<C: Clock>: Sendable where C.Duration == Duration {
    struct State {
        var controls: [Int: ConnectionControl<C>] = [:]
        var perAddress: [String: Int] = [:]
        var nextID = 0
        var shuttingDown = false
    }

    private let state = Mutex(State())
    let maximumConnections: Int
    let maximumPerAddress: Int

    init(maximumConnections: Int, maximumPerAddress: Int) {
        self.maximumConnections = maximumConnections
        self.maximumPerAddress = maximumPerAddress
    }

    /// Register a connection; nil if a limit is reached or the server is shutting down.
    func admit(_ control: ConnectionControl<C>, address: String) -> Int? {
        state.withLock { state in
            guard !state.shuttingDown, state.controls.count < maximumConnections,
                  state.perAddress[address, default: 0] < maximumPerAddress
            else { return nil }
            state.nextID += 1
            state.controls[state.nextID] = control
            state.perAddress[address, default: 0] += 1
            return state.nextID
        }
    }

    func remove(_ id: Int, address: String) {
        state.withLock { state in
            state.controls[id] = nil
            state.perAddress[address, default: 1] -= 1
            if state.perAddress[address] == 0 { state.perAddress[address] = nil }
        }
    }

    var count: Int { state.withLock { $0.controls.count } }

    func shutdownAll(graceUntil: C.Instant) {
        let controls = state.withLock { state in
            state.shuttingDown = true
            return Array(state.controls.values)
        }
        for control in controls { control.requestShutdown(graceUntil: graceUntil) }
    }
}
