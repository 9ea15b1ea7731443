/// Caps the sessions open to one server at a time across every account of a run
/// (`--max-connections-per-server`): Courier allows only 4 connections per client address
/// by default (MAXPERIP), Dovecot 10 per user and address.
public actor ConnectionLimiter {
    private let limit: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) {
        precondition(limit > 0, "a connection limit must be positive")
        self.limit = limit
    }

    /// Wait for a free connection; every `acquire` must be followed by one ``release()``.
    public func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    public func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding one connection, released however `body` ends.
    public nonisolated func withConnection<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}

/// A source whose sessions count against a ``ConnectionLimiter``.
public struct LimitedSourceStore: SourceStore {
    public let base: any SourceStore
    public let limiter: ConnectionLimiter

    public init(_ base: any SourceStore, limiter: ConnectionLimiter) {
        self.base = base
        self.limiter = limiter
    }

    public var displayName: String { base.displayName }
    public var bodiesAreOpenFiles: Bool { base.bodiesAreOpenFiles }

    public func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T {
        try await limiter.withConnection { try await base.withSession(body) }
    }
}

/// A destination whose sessions count against a ``ConnectionLimiter``.
public struct LimitedDestinationStore: DestinationStore {
    public let base: any DestinationStore
    public let limiter: ConnectionLimiter

    public init(_ base: any DestinationStore, limiter: ConnectionLimiter) {
        self.base = base
        self.limiter = limiter
    }

    public var displayName: String { base.displayName }
    public var preservesSourceUIDs: Bool { base.preservesSourceUIDs }
    public var writeProfile: WriteProfile { base.writeProfile }

    public func withSession<T: Sendable>(_ body: (any MailboxWriter) async throws -> T) async throws -> T {
        try await limiter.withConnection { try await base.withSession(body) }
    }
}
