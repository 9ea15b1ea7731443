public import NIOPosix

/// The one way mailferry runs blocking file-system work (spool writes, Maildir scans, reads
/// and writes, fsync, syncfs, opening a file to APPEND): on a thread pool, off the event
/// loops and off the cooperative pool, where a 2-core machine with two callers blocked in
/// fsync would otherwise stall every task of the process.
///
/// The shared pool is larger than the core count on purpose: threads waiting in fsync use
/// no CPU, and concurrent fsyncs share journal commits (ext4), so ten sessions committing
/// at once cost little more than one. NIO's singleton pool has one thread per core, which
/// would serialise the commits of a whole server behind two fsyncs.
public struct BlockingIO: Sendable {
    public let pool: NIOThreadPool

    /// The process-wide pool (32 threads, started on first use, never stopped).
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

    /// For a caller whose state is not `Sendable` but is only ever touched by one piece of
    /// work at a time, in order (a Maildir session hands one piece of work to the pool and
    /// awaits it before the next): the closure and its result cross threads unchecked.
    public func runSerially<T>(_ body: @escaping () throws -> T) async throws -> T {
        let work = UncheckedBox(body)
        return try await pool.runIfActive { UncheckedBox(try work.value()) }.value
    }
}

/// Carries a value across a thread hop that ``BlockingIO/runSerially(_:)`` orders.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
