/// Opens a source and a destination session at the same time instead of one after the
/// other, so each side's connect, TLS handshake and login overlap (Courier's login, through
/// its authentication daemon, is most of a small account's time). Structured: each session
/// lives in a child task of a task group, inside its store's `withSession`, and is lent to
/// `body`; both are closed before this returns, on success and on error.
///
/// Connection limits are taken in a fixed order, source first: a worker holding one
/// server's last free connection while it waits for the other's, opposite to another
/// worker, would deadlock a fleet run.
enum SessionPair {
    static func open<T: Sendable>(
        source: any SourceStore, destination: any DestinationStore,
        _ body: (any MailboxReader, any MailboxWriter) async throws -> T
    ) async throws -> T {
        if let source = source as? LimitedSourceStore, let destination = destination as? LimitedDestinationStore {
            await source.limiter.acquire()
            await destination.limiter.acquire()
            let result = await Result { try await concurrently(source: source.base, destination: destination.base, body) }
            await destination.limiter.release()
            await source.limiter.release()
            return try result.get()
        }
        return try await concurrently(source: source, destination: destination, body)
    }

    private static func concurrently<T: Sendable>(
        source: any SourceStore, destination: any DestinationStore,
        _ body: (any MailboxReader, any MailboxWriter) async throws -> T
    ) async throws -> T {
        let sourceSession = Handoff<any MailboxReader>()
        let destinationSession = Handoff<any MailboxWriter>()
        let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await source.withSession { await sourceSession.lend($0) }
                } catch {
                    sourceSession.fail(error)
                }
            }
            group.addTask {
                do {
                    try await destination.withSession { await destinationSession.lend($0) }
                } catch {
                    destinationSession.fail(error)
                }
            }
            // Both are taken before either error is reported, and the source's error wins,
            // so the error a run reports does not depend on which side failed first.
            let reader = await Result { try await sourceSession.take() }
            let writer = await Result { try await destinationSession.take() }
            let result = await Result { try await body(reader.get(), writer.get()) }
            sourceSession.release()
            destinationSession.release()
            await group.waitForAll()
            return result
        }
        return try result.get()
    }
}
