import NIOPosix

/// Runs the Maildir stores' blocking file-system work (directory scans, reads, writes,
/// fsync, syncfs) on a thread pool of its own, off the cooperative pool: on a 2-core
/// machine two stores blocked in fsync would otherwise stall every task of the process.
///
/// A session hands one piece of work at a time to the pool and awaits it, so its state is
/// only ever touched by one thread at a time, in order; `Unchecked` carries it across.
struct MaildirIO: Sendable {
    /// Started on first use, never stopped. Threads waiting in fsync cost no CPU, and
    /// concurrent fsyncs share journal commits, hence more threads than cores.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    static func run<T>(_ body: @escaping () throws -> T) async throws -> T {
        let work = Unchecked(body)
        return try await pool.runIfActive { Unchecked(try work.value()) }.value
    }
}
