import NIOPosix

/// Runs blocking file-system work (spool writes, fsync) on a thread pool, off the event
/// loops and off the cooperative pool: an fsync can take milliseconds.
///
/// The pool is larger than the core count on purpose: threads waiting in fsync use no CPU,
/// and concurrent fsyncs share journal commits (ext4), so ten sessions committing at once
/// cost little more than one. NIO's singleton pool has one thread per core, which would
/// serialise the commits of a whole server behind two fsyncs.
public struct BlockingIO: Sendable {
    let pool: NIOThreadPool

    /// The process-wide spool pool (32 threads, started on first use, never stopped).
    public static let shared: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 32)
        pool.start()
        return pool
    }()

    /// Use `pool`, which must be started (default: `BlockingIO.shared`).
    public init(pool: NIOThreadPool = BlockingIO.shared) {
        self.pool = pool
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
