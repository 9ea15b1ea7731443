import Foundation

/// Bounded waiting for something the servers do asynchronously (a delivery, a queue run).
public enum Poll {
    /// Calls `body` until it returns a value, at most `attempts` times, `interval` seconds
    /// apart. Throws ``PollTimeout`` naming `what` when it never does.
    public static func until<T>(
        _ what: String, attempts: Int = 50, interval: Double = 0.2, _ body: () throws -> T?
    ) throws -> T {
        for attempt in 1...attempts {
            if let value = try body() { return value }
            if attempt < attempts { Thread.sleep(forTimeInterval: interval) }
        }
        throw PollTimeout(what: what, seconds: Double(attempts) * interval)
    }
}

/// ``Poll/until(_:attempts:interval:_:)`` gave up.
public struct PollTimeout: Error, CustomStringConvertible, Sendable {
    public let what: String
    public let seconds: Double
    public var description: String { "gave up after \(seconds) s waiting for \(what)" }
}
