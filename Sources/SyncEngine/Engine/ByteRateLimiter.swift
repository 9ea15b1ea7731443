/// A token bucket shared by every transfer of a run: `--bandwidth` caps the bytes read from
/// the source per second, so a migration can run during office hours.
public actor ByteRateLimiter {
    private let bytesPerSecond: Double
    private let burst: Double
    private var available: Double
    private var last: ContinuousClock.Instant

    /// - Parameter bytesPerSecond: the sustained rate; up to one second's worth may be used at once.
    public init(bytesPerSecond: Int) {
        precondition(bytesPerSecond > 0, "a bandwidth limit must be positive")
        self.bytesPerSecond = Double(bytesPerSecond)
        self.burst = Double(bytesPerSecond)
        self.available = Double(bytesPerSecond)
        self.last = .now
    }

    /// Wait until `bytes` may pass (a larger amount than the burst is paid for over time).
    public func consume(_ bytes: Int) async throws {
        refill()
        available -= Double(bytes)
        if available < 0 {
            let wait = -available / bytesPerSecond
            try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            refill()
        }
    }

    private func refill() {
        let now = ContinuousClock.now
        let elapsed = now - last
        last = now
        available = min(burst, available + elapsed.seconds * bytesPerSecond)
    }
}
