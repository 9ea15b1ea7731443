import Foundation

/// Maps an injected `Clock` to Unix time, so the spool can store absolute times while
/// tests drive everything with a manual clock.
public struct WallClock<C: Clock>: Sendable where C.Duration == Duration {
    public let clock: C
    let originInstant: C.Instant
    let originUnixTime: Double

    /// Start the mapping now.
    public init(clock: C, unixTimeNow: Double = Date().timeIntervalSince1970) {
        self.clock = clock
        originInstant = clock.now
        originUnixTime = unixTimeNow
    }

    /// Unix time now, per the clock.
    public var now: Double { unixTime(of: clock.now) }

    public func unixTime(of instant: C.Instant) -> Double {
        let elapsed = originInstant.duration(to: instant)
        return originUnixTime + elapsed.inSeconds
    }

    public func instant(ofUnixTime time: Double) -> C.Instant {
        originInstant.advanced(by: .seconds(time - originUnixTime))
    }
}
