/// Bounded polling, for the few states a test cannot be woken by: a server in another process
/// that has no log or file to watch for the state in question (a listener accepting again, a
/// message visible over IMAP or POP3 after a delivery). State this process changes is waited
/// for with ``ChangeSignal``, files other processes write with ``DirectoryWatch``.
public enum Poll {
    /// Calls `body` until it returns a value, at most `attempts` times, `interval` seconds
    /// apart, giving its thread back between attempts. Throws ``PollTimeout`` naming `what`
    /// when it never does.
    public static func until<T>(
        _ what: String, attempts: Int = 50, interval: Double = 0.2, _ body: () async throws -> T?
    ) async throws -> T {
        for attempt in 1...attempts {
            if let value = try await body() { return value }
            if attempt < attempts { try await Task.sleep(for: .seconds(interval)) }
        }
        throw PollTimeout(what: what, seconds: Double(attempts) * interval)
    }
}

/// ``Poll/until(_:attempts:interval:_:)`` gave up.
public struct PollTimeout: Error, CustomStringConvertible, Sendable {
    public let what: String
    public let seconds: Double

    public init(what: String, seconds: Double) {
        self.what = what
        self.seconds = seconds
    }
    public var description: String { "gave up after \(seconds) s waiting for \(what)" }
}
