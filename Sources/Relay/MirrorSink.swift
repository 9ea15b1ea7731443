public import BlockingIO
import Logging
import MailModel
public import MailSpool
public import SMTPServer

/// The mirror's `MessageSink`: accepts only shadow-domain recipients, rewrites them to the
/// real domain and the sender to mailferry's own bounce address, puts the tag and a
/// `Received:` line on top (`MirrorTrace`), and answers 250 only after the spool entry is
/// durable. Then it hands the entry to the queue manager. Mail to the bounce address is the
/// new server's notification about a copy: recorded in `late-failures.jsonl`, not relayed.
public struct MirrorSink<C: Clock>: MessageSink where C.Duration == Duration {
    public let spool: MailSpool
    public let rules: MirrorRules
    public let trace: MirrorTrace
    /// Where the new server's notifications about copies are recorded.
    public let lateFailures: LateFailureLog
    public let io: BlockingIO
    public let wallClock: WallClock<C>
    /// Called with each committed entry (the queue manager's `submit`).
    public let onQueued: @Sendable (CommittedMessage) async -> Void

    public init(spool: MailSpool, rules: MirrorRules, trace: MirrorTrace, io: BlockingIO, wallClock: WallClock<C>,
                onQueued: @escaping @Sendable (CommittedMessage) async -> Void) {
        self.spool = spool
        self.rules = rules
        self.trace = trace
        lateFailures = LateFailureLog(spoolDirectory: spool.root)
        self.io = io
        self.wallClock = wallClock
        self.onQueued = onQueued
    }

    public func makeSession(_ connection: SMTPConnectionInfo) async -> any MessageSinkSession {
        let trace = self.trace
        let client = connection.remoteAddress
        let rules = self.rules
        let log = lateFailures
        return SpoolingSinkSession(
            spool: spool, io: io, logger: connection.logger, now: { wallClock.now }, onQueued: onQueued,
            trace: { trace.lines(id: $0, client: client, recipients: $1, unixTime: $2) },
            copySender: .mailbox(rules.bounceAddress), route: { rules.route($0) },
            recordNotification: { try log.append(LateFailure.parse($0, tag: trace.tag, receivedAt: $1)) })
    }
}
