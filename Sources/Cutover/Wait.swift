/// Bounded waiting for something a server does asynchronously (a queue run, a delivery,
/// daemons exiting after a reload). Time comes from the caller's clock.
///
/// It polls on purpose: what it waits for happens on a host that may be reached only through
/// a `Host` (over SSH, one command at a time: `postqueue -j`, `pgrep`), which offers no event
/// to wait on. Every wait is bounded by `timeout` on the injected clock, so a test with a
/// manual clock decides when it gives up.
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
