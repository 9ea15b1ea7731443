public import Logging
public import NIOCore
import NIOPosix
import NIOSSL
public import SMTPCodec
import SMTPTransport

/// One outbound SMTP session, used through `withConnection`: connect, greeting, EHLO and
/// (per policy) STARTTLS happen before the body runs; QUIT happens after it. Messages are
/// sent one after another with `send(_:)`, reusing the session.
public final class SMTPClientConnection<C: Clock> where C.Duration == Duration {
    let configuration: SMTPClientConfiguration
    let channel: any Channel
    var iterator: NIOAsyncChannelInboundStream<SMTPInboundPart>.AsyncIterator
    let deadline: ClientDeadline<C>
    let clock: C
    let logger: Logger
    var machine: SMTPClientStateMachine
    var input = ByteBuffer()
    var parser = SMTPReplyParser()
    var discardingPlaintext = false
    /// False once the session failed; the caller must not send more on it.
    public internal(set) var isUsable = true

    /// What the server advertised (after TLS, if TLS was started).
    public var extensions: SMTPExtensions { machine.extensions }
    public var isTLSActive: Bool { machine.isTLSActive }

    init(configuration: SMTPClientConfiguration, channel: any Channel, iterator: NIOAsyncChannelInboundStream<SMTPInboundPart>.AsyncIterator,
         deadline: ClientDeadline<C>, clock: C, logger: Logger) {
        self.configuration = configuration
        self.channel = channel
        self.iterator = iterator
        self.deadline = deadline
        self.clock = clock
        self.logger = logger
        self.machine = SMTPClientStateMachine(heloName: configuration.heloName, tlsPolicy: configuration.tls)
    }

    /// Connect, open the session, run `body`, then QUIT and close.
    public static func withConnection<R: Sendable>(
        _ configuration: SMTPClientConfiguration, clock: C,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger,
        _ body: (SMTPClientConnection) async throws -> R
    ) async throws -> R {
        let asyncChannel: NIOAsyncChannel<SMTPInboundPart, ByteBuffer>
        do {
            asyncChannel = try await connect(configuration, eventLoopGroup: eventLoopGroup)
        } catch {
            throw SMTPClientError(.connectionFailed, "cannot connect to \(configuration.host):\(configuration.port): \(describe(error))")
        }
        return try await asyncChannel.executeThenClose { inbound, _ in

            try await withThrowingTaskGroup(of: Void.self, returning: R.self) { group in
                let deadline = ClientDeadline<C>(channel: asyncChannel.channel)
                let interval = configuration.timeouts.shortest / 10
                group.addTask {
                    while true {
                        let next = clock.now.advanced(by: interval)
                        try await clock.sleep(until: min(deadline.deadline ?? next, next), tolerance: nil)
                        deadline.check(now: clock.now)
                    }
                }
                defer { group.cancelAll() }
                let connection = SMTPClientConnection(
                    configuration: configuration, channel: asyncChannel.channel, iterator: inbound.makeAsyncIterator(),
                    deadline: deadline, clock: clock, logger: logger)
                try await connection.open()
                let result = try await body(connection)
                await connection.quit()
                return result
            }
        }
    }

    /// Deliver one message. Returns one outcome per envelope recipient. Throws when the
    /// session broke (the caller classifies that as a site failure for what is left).
    public func send(_ message: SMTPOutgoingMessage) async throws -> [DeliveryOutcome] {
        precondition(isUsable, "send() on a failed session")
        let info = SMTPClientMessageInfo(envelope: message.envelope, size: message.content.count, contains8Bit: message.contains8Bit,
                                         notify: configuration.notify)
        var action = machine.beginTransaction(info)
        while true {
            switch action {
            case .send(let commands):
                try await write(commands.map(\.wireString).joined(), timeout: configuration.timeouts.command)
                action = try await nextReply()
            case .waitForReply:
                action = try await nextReply()
            case .sendMessage:
                try await writeContent(machine.sendsEmptyBody ? [] : message.content)
                action = try await nextReply()
            case .transactionFinished(let result):
                return DeliveryClassifier.classify(result)
            case .fail(let failure):
                isUsable = false
                throw SMTPClientError(.session, failure.description, failure: failure)
            case .ready, .startTLS, .close:
                isUsable = false
                throw SMTPClientError(.session, "unexpected client state")
            }
        }
    }
}
