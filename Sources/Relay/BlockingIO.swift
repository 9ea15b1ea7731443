import NIOPosix

/// Runs blocking file-system work (spool writes, fsync) on a thread pool, off the event
/// loops and off the cooperative pool: an fsync can take milliseconds.
public struct BlockingIO: Sendable {
    let pool: NIOThreadPool

    /// Use `pool`, which must be started (NIO's `.singleton` is).
    public init(pool: NIOThreadPool = .singleton) {
        self.pool = pool
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
