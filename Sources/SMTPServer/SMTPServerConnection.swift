import Logging
import NIOCore
import NIOSSL
import SMTPCodec
import SMTPTransport

/// Runs one client connection: reads bytes, drives the `SMTPServerSession`, writes replies,
/// asks the sink, enforces deadlines, and performs STARTTLS through the `StartTLSGate`.
struct SMTPServerConnection<C: Clock>: Sendable where C.Duration == Duration {
    let channel: NIOAsyncChannel<SMTPInboundPart, ByteBuffer>
    let configuration: SMTPServerConfiguration
    let sink: any MessageSink
    let control: ConnectionControl<C>
    let clock: C
    let info: SMTPConnectionInfo
    let earlyTalker: EarlyTalkerDetector.Flag?

    var logger: Logger { info.logger }

    func run() async {
        do {
            try await channel.executeThenClose { inbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await watchdog() }
                    defer { group.cancelAll() }
                    try await serve(inbound)
                }
            }
        } catch {
            logger.debug("SMTP connection ended with an error", metadata: ["smtp.error": "\(error)"])
        }
    }

    /// Wakes at each deadline, and at least every tenth of the shortest timeout (a deadline
    /// can move earlier when a session goes from commands to DATA); closes the connection
    /// with 421 if the reader is still waiting past its deadline.
    func watchdog() async throws {
        let interval = min(configuration.commandTimeout, configuration.dataTimeout) / 10
        while true {
            let nextCheck = clock.now.advanced(by: interval)
            let target = min(control.deadline ?? nextCheck, nextCheck)
            try await clock.sleep(until: target, tolerance: nil)
            if control.checkDeadline(now: clock.now) {
                logger.debug("SMTP session timed out")
                return
            }
        }
    }

    func serve(_ inbound: NIOAsyncChannelInboundStream<SMTPInboundPart>) async throws {
        var session = SMTPServerSession(configuration: configuration.session)
        let sinkSession = await sink.makeSession(info)
        var output = ByteBuffer()
        var iterator = inbound.makeAsyncIterator()
        var discardingPlaintext = false
        var dataStartedAt: C.Instant?
        if configuration.greetingDelay > .zero {
            try await clock.sleep(for: configuration.greetingDelay)
            if earlyTalker?.isSet == true { session.receive(ByteBuffer(string: "early")) }
        }
        session.start()
        while true {
            var closeRequested = false
            while let event = session.nextEvent() {
                switch event {
                case .send(let reply):
                    output.writeString(reply.wireString)
                case .close:
                    closeRequested = true
                case .startTLS:
                    try await startTLS(output: &output)
                    discardingPlaintext = true
                case .checkSender(let sender, let parameters):
                    session.senderChecked(await sinkSession.sender(sender, parameters: parameters))
                case .checkRecipient(let recipient):
                    session.recipientChecked(await sinkSession.recipient(recipient))
                case .beginMessage(let envelope):
                    session.messageBegun(rejection: await sinkSession.beginMessage(envelope))
                case .messageData(let chunk):
                    await sinkSession.messageData(chunk)
                case .commitMessage:
                    try await flush(&output)
                    session.messageCommitted(await sinkSession.commitMessage())
                case .abortTransaction:
                    await sinkSession.abortTransaction()
                }
            }
            try await flush(&output)
            if closeRequested || session.isClosed { break }
            if session.isReceivingData {
                if dataStartedAt == nil { dataStartedAt = clock.now }
            } else {
                dataStartedAt = nil
            }
            let deadline = deadline(for: session, dataStartedAt: dataStartedAt)
            guard control.beginWait(until: deadline, inTransaction: session.hasOpenTransaction) else {
                session.shutdown()
                continue
            }
            let part = try await iterator.next()
            if control.endWait() { break }
            switch part {
            case .none:
                session.inputClosed()
            case .bytes(let bytes):
                if !discardingPlaintext { session.receive(bytes) }
            case .tlsStarted:
                discardingPlaintext = false
                session.tlsEstablished()
                logger.debug("STARTTLS: TLS handler installed")
            }
        }
        if session.hasOpenTransaction { await sinkSession.abortTransaction() }
        await sinkSession.close()
    }

    /// Waiting for a command: `commandTimeout` from now. In DATA: `dataTimeout` from the
    /// start of DATA plus one second per `minimumDataRate` octets received (§4 S-X2).
    func deadline(for session: SMTPServerSession, dataStartedAt: C.Instant?) -> C.Instant {
        guard let dataStartedAt else { return clock.now.advanced(by: configuration.commandTimeout) }
        let allowance = Duration.seconds(Double(session.dataBytesReceived) / Double(max(1, configuration.minimumDataRate)))
        return dataStartedAt.advanced(by: configuration.dataTimeout + allowance)
    }

    /// Hand the pending replies to the channel. Not awaited: writes stay in order on the
    /// event loop, and a failed write closes the channel, which ends the read loop; waiting
    /// for each write to complete would add an event-loop round trip to every command.
    func flush(_ output: inout ByteBuffer) async throws {
        guard output.readableBytes > 0 else { return }
        let bytes = output
        output.clear()
        channel.channel.writeAndFlush(bytes, promise: nil)
    }

    /// Send the pending replies (ending with 220) and switch to TLS in one event-loop step.
    func startTLS(output: inout ByteBuffer) async throws {
        guard let context = configuration.tls else { throw ChannelError.operationUnsupported }
        let plaintext = output
        output.clear()
        let request = StartTLSGate.Request(finalPlaintext: plaintext) { NIOSSLServerHandler(context: context) }
        try await channel.channel.triggerUserOutboundEvent(request)
    }
}
