import Cutover

/// The cutover effects' waits, as methods of their clock: called on the effects' `any
/// Clock<Duration>` they run on the concrete clock inside (the compiler does not open that
/// existential for the generic waits' clock parameter).
extension Clock where Duration == Swift.Duration {
    /// ``MirrorSpoolDrain/wait(spool:timeout:interval:clock:)`` on this clock.
    func waitForSpoolToDrain(_ spool: String, timeout: Duration) async throws -> String? {
        try await MirrorSpoolDrain.wait(spool: spool, timeout: timeout, clock: self)
    }

    /// `Wait.until` on this clock.
    func waitUntil(_ what: String, timeout: Duration, interval: Duration, _ condition: () async throws -> Bool) async throws {
        try await Wait.until(what, timeout: timeout, interval: interval, clock: self, condition)
    }

    /// Evaluates `condition` until it is true (true) or `timeout` has passed (false),
    /// `interval` apart.
    func poll(every interval: Duration, for timeout: Duration, until condition: () async throws -> Bool) async throws -> Bool {
        let deadline = now.advanced(by: timeout)
        while true {
            if try await condition() { return true }
            if now >= deadline { return false }
            try await sleep(until: now.advanced(by: interval), tolerance: nil)
        }
    }
}
