import BlockingIO
import Foundation
import IMAPClient
import IMAPCodec
import Logging
import MailModel
import NIOCore

/// The least work that reads every message of an account: one connection, LIST, then per
/// folder SELECT and one `UID FETCH 1:* (UID BODY.PEEK[])`, streamed and counted, hashing
/// nothing. Used as the read bound of `verify` (both servers at once) and to warm a source
/// up (Courier builds its UID database on first access) and measure its totals.
enum ReadBound {
    struct Totals {
        var folders = 0
        var messages = 0
        var bytes = 0
        var seconds = 0.0

        var census: Census { Census(folders: folders, messages: messages, bytes: bytes) }
    }

    static func readAll(_ endpoint: IMAPEndpoint, _ credentials: IMAPCredentials) async throws -> Totals {
        let logger = Logger(label: "mailferry.bench") { _ in SwiftLogNoOpLogHandler() }
        let started = ContinuousClock.now
        var totals = Totals()
        try await IMAPConnection.withConnection(to: endpoint, logger: logger) { connection in
            try await connection.authenticate(credentials)
            for folder in try await connection.list() where folder.isSelectable {
                let selected = try await connection.select(folder.path)
                totals.folders += 1
                guard selected.messageCount > 0 else { continue }
                try await connection.fetchBodies(.all) { event in
                    switch event {
                    case .begin: totals.messages += 1
                    case .bytes(let chunk): totals.bytes += chunk.readableBytes
                    case .end: break
                    }
                }
            }
        }
        totals.seconds = (ContinuousClock.now - started).benchSeconds
        return totals
    }

    /// Both accounts read at the same time; the bound is the slower of the two. Each reader
    /// runs on an event loop of its own and its connection is made there, so a body's chunks
    /// are counted on the thread where they arrive, as `verify` reads them: a bound whose
    /// readers were woken on the concurrency pool for every chunk would be a slower bound.
    static func readBoth(
        _ first: (IMAPEndpoint, IMAPCredentials), _ second: (IMAPEndpoint, IMAPCredentials)
    ) async throws -> (seconds: Double, first: Totals, second: Totals) {
        let loops = EventLoopTaskExecutor.forEachLoop()
        let started = ContinuousClock.now
        async let one = withTaskExecutorPreference(loops.first) { try await readAll(first.0, first.1) }
        let two = try await withTaskExecutorPreference(loops.last) { try await readAll(second.0, second.1) }
        let firstTotals = try await one
        return ((ContinuousClock.now - started).benchSeconds, firstTotals, two)
    }
}
