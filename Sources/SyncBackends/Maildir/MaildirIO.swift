import BlockingIO

/// The Maildir stores' blocking file-system work (directory scans, reads, writes, fsync,
/// syncfs) on mailferry's one blocking-I/O pool.
///
/// A session hands one piece of work at a time to the pool and awaits it, so its state is
/// only ever touched by one thread at a time, in order.
struct MaildirIO: Sendable {
    static func run<T>(_ body: @escaping () throws -> T) async throws -> T {
        try await BlockingIO().runSerially(body)
    }
}
