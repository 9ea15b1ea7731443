public import Logging
public import MailSpool
public import SMTPServer

/// The mirror's `MessageSink`: accepts only shadow-domain recipients, rewrites them to the
/// real domain, adds `X-Mailferry-Mirror: <queue id>` on top of the message, and answers 250
/// only after the spool entry is durable. Then it hands the entry to the queue manager.
public struct MirrorSink<C: Clock>: MessageSink where C.Duration == Duration {
    public let spool: MailSpool
    public let rules: MirrorRules
    public let io: BlockingIO
    public let wallClock: WallClock<C>
    /// Called with each committed entry (the queue manager's `submit`).
    public let onQueued: @Sendable (QueueID) async -> Void

    public init(spool: MailSpool, rules: MirrorRules, io: BlockingIO, wallClock: WallClock<C>,
                onQueued: @escaping @Sendable (QueueID) async -> Void) {
        self.spool = spool
        self.rules = rules
        self.io = io
        self.wallClock = wallClock
        self.onQueued = onQueued
    }

    public func makeSession(_ connection: SMTPConnectionInfo) async -> any MessageSinkSession {
        SpoolingSinkSession(
            spool: spool, io: io, logger: connection.logger, now: { wallClock.now }, onQueued: onQueued,
            traceHeader: { "X-Mailferry-Mirror: \($0)\r\n" },
            route: { rules.route($0) })
    }

    /// The name of the trace header, for finding and purging copies.
    public static var traceHeaderName: String { "X-Mailferry-Mirror" }
}
