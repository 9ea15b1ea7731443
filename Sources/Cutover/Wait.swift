/// Bounded waiting for something a server does asynchronously (a queue run, a delivery,
/// daemons exiting after a reload). Time comes from the caller's clock.
public enum Wait {
    /// Evaluates `condition` until it is true, `interval` apart, for at most `timeout`.
    public static func until<C: Clock>(
        _ what: String, timeout: Duration, interval: Duration = .milliseconds(50), clock: C,
        _ condition: () async throws -> Bool
    ) async throws where C.Duration == Duration {
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if try await condition() { return }
            guard clock.now < deadline else { throw CutoverError.waitTimedOut(what: what, after: timeout) }
            try await clock.sleep(until: clock.now.advanced(by: interval), tolerance: nil)
        }
    }
}
