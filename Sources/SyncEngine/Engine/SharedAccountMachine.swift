import Synchronization

/// An account's ``AccountMachine`` shared by its workers: each worker sends what happened
/// and waits for its own next action. An action the machine gives a worker that is not
/// asking yet is kept until it asks; a worker given nothing waits without a connection.
final class SharedAccountMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    typealias Machine = AccountMachine<Instant>

    private struct State {
        var machine: Machine
        var delivered: [Machine.Worker: Machine.Action] = [:]
        var waiting: [Machine.Worker: CheckedContinuation<Machine.Action, Never>] = [:]
    }

    private let state: Mutex<State>

    init(_ machine: Machine) {
        state = Mutex(State(machine: machine))
    }

    /// Feed `event` (from `worker`) to the machine, hand out the actions it returns, and
    /// return `worker`'s next action once there is one.
    func send(_ event: Machine.Event, from worker: Machine.Worker) async -> Machine.Action {
        let wake = state.withLock { state in
            var wake: [(CheckedContinuation<Machine.Action, Never>, Machine.Action)] = []
            for (target, action) in state.machine.handle(event) {
                if let continuation = state.waiting.removeValue(forKey: target) {
                    wake.append((continuation, action))
                } else {
                    state.delivered[target] = action
                }
            }
            return wake
        }
        for (continuation, action) in wake { continuation.resume(returning: action) }
        return await next(for: worker)
    }

    /// ``AccountMachine/upcomingForSoleWorker`` now.
    var upcomingForSoleWorker: [FolderMapping] {
        state.withLock { $0.machine.upcomingForSoleWorker }
    }

    /// `worker`'s next action, waiting for it if the machine has none yet.
    func next(for worker: Machine.Worker) async -> Machine.Action {
        await withCheckedContinuation { (continuation: CheckedContinuation<Machine.Action, Never>) in
            let ready = state.withLock { state -> Machine.Action? in
                if let action = state.delivered.removeValue(forKey: worker) { return action }
                state.waiting[worker] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
