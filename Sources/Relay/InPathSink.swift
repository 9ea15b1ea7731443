public import BlockingIO
import Logging
public import MailModel
public import MailSpool
public import SMTPServer

/// The in-path relay's `MessageSink`, for sites that want mailferry in front of the old MTA.
///
/// Every transaction goes synchronously to the primary (the old MTA) command by command, and
/// the client receives the primary's replies: the primary decides relay control, recipients
/// and content. A copy of each accepted message is written to the spool and fsynced before
/// the primary's 250 is passed on, then relayed to the new server by the queue manager. The
/// copy's fate never changes what the sender sees: a spool failure is logged, not answered.
public struct InPathSink<C: Clock>: MessageSink where C.Duration == Duration {
    public let primaryHost: String
    public let primaryPort: Int
    public let heloName: String
    public let spool: MailSpool
    public let trace: MirrorTrace
    /// The envelope sender of the copies (never the real sender: see `MirrorRules.bounceAddress`).
    public let bounceAddress: EmailAddress
    public let io: BlockingIO
    public let wallClock: WallClock<C>
    public let onQueued: @Sendable (CommittedMessage) async -> Void

    public init(primaryHost: String, primaryPort: Int, heloName: String, spool: MailSpool, trace: MirrorTrace,
                bounceAddress: EmailAddress = MirrorRules.defaultBounceAddress, io: BlockingIO, wallClock: WallClock<C>,
                onQueued: @escaping @Sendable (CommittedMessage) async -> Void) {
        self.primaryHost = primaryHost
        self.primaryPort = primaryPort
        self.heloName = heloName
        self.spool = spool
        self.trace = trace
        self.bounceAddress = bounceAddress
        self.io = io
        self.wallClock = wallClock
        self.onQueued = onQueued
    }

    public func makeSession(_ connection: SMTPConnectionInfo) async -> any MessageSinkSession {
        let clock = wallClock
        return InPathSinkSession(sink: self, client: connection.remoteAddress, logger: connection.logger, now: { clock.now })
    }
}
