import Logging
import NIOCore
import NIOSSL
import SMTPCodec
import SMTPTransport

/// Runs one client connection: reads bytes, drives the `SMTPServerSession`, writes replies,
/// asks the sink, enforces deadlines, and performs STARTTLS through the `StartTLSGate`.
///
/// Backpressure: replies go out through a `ReplyBacklog`; while the client leaves more than
/// `replyBacklogLimit` octets unread, the reader stops taking input, so NIOAsyncChannel's
/// inbound watermark stops reading the socket, and the client's commands wait in the kernel.
/// Every buffer of a connection is bounded: one socket read of input, `replyBacklogLimit`
/// plus one flush of output.
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
        let backlog = ReplyBacklog(limit: configuration.replyBacklogLimit)
        do {
            try await channel.executeThenClose { inbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await watchdog() }
                    defer { group.cancelAll() }
                    try await serve(inbound, backlog: backlog)
                }
            }
        } catch {
            logger.debug("SMTP connection ended with an error", metadata: ["smtp.error": "\(error)"])
        }
        control.probe?.report(.ended(peakReplyBacklog: backlog.peak))
    }

    /// Wakes at each deadline, and at least every tenth of the shortest timeout (a deadline
    /// can move earlier when a session goes from commands to DATA, or when shutdown begins);
    /// closes the connection with 421 if the reader is still waiting past its deadline. A
    /// client that does not read never lets the 421 be written: after that long again, the
    /// connection is closed without it.
    func watchdog() async throws {
        let interval = min(configuration.commandTimeout, configuration.dataTimeout, configuration.shutdownGracePeriod) / 10
        while true {
            let nextCheck = clock.now.advanced(by: interval)
            let target = min(control.nextDeadline ?? nextCheck, nextCheck)
            try await clock.sleep(until: target, tolerance: nil)
            if control.checkDeadline(now: clock.now) {
                logger.debug("SMTP session timed out or was shut down")
                try await clock.sleep(for: interval)
                control.channel.close(promise: nil)
                return
            }
        }
    }

    func serve(_ inbound: NIOAsyncChannelInboundStream<SMTPInboundPart>, backlog: ReplyBacklog) async throws {
        var session = SMTPServerSession(configuration: configuration.session)
        let sinkSession = await sink.makeSession(info)
        do {
            try await converse(&session, inbound, sinkSession, backlog)
        } catch {
            if session.hasOpenTransaction { await sinkSession.abortTransaction() }
            await sinkSession.close()
            throw error
        }
        if session.hasOpenTransaction { await sinkSession.abortTransaction() }
        await sinkSession.close()
    }

    func converse(_ session: inout SMTPServerSession, _ inbound: NIOAsyncChannelInboundStream<SMTPInboundPart>,
                  _ sinkSession: any MessageSinkSession, _ backlog: ReplyBacklog) async throws {
        var output = ByteBuffer()
        let flushThreshold = max(1, configuration.replyBacklogLimit / 4)
        var iterator = inbound.makeAsyncIterator()
        var discardingPlaintext = false
        var dataStartedAt: C.Instant?
        if configuration.greetingDelay > .zero {
            try await clock.sleep(for: configuration.greetingDelay)
            if earlyTalker?.isSet == true { session.receive(ByteBuffer(string: "early")) }
        }
        session.start()
        // The client has `commandTimeout` for each command from our last reply; bytes that
        // trickle in do not move it (a slowloris client sends one byte at a time).
        var commandDeadline = clock.now.advanced(by: configuration.commandTimeout)
        while true {
            var closeRequested = false
            var replied = false
            while let event = session.nextEvent() {
                switch event {
                case .send(let reply):
                    output.writeString(reply.wireString)
                    replied = true
                    if output.readableBytes >= flushThreshold {
                        guard try await flush(&output, backlog, session) else { return }
                    }
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
                    guard try await flush(&output, backlog, session) else { return }
                    session.messageCommitted(await sinkSession.commitMessage())
                case .abortTransaction:
                    await sinkSession.abortTransaction()
                }
            }
            guard try await flush(&output, backlog, session) else { return }
            if closeRequested || session.isClosed { break }
            if replied { commandDeadline = clock.now.advanced(by: configuration.commandTimeout) }
            if session.isReceivingData {
                if dataStartedAt == nil { dataStartedAt = clock.now }
            } else {
                dataStartedAt = nil
            }
            let deadline = deadline(for: session, dataStartedAt: dataStartedAt, commandDeadline: commandDeadline)
            guard control.beginWait(.input, until: deadline, inTransaction: session.hasOpenTransaction, now: clock.now) else {
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
    }

    /// Waiting for a command: until `commandDeadline`. In DATA: `dataTimeout` from the start
    /// of DATA plus one second per `minimumDataRate` octets received (§4 S-X2).
    func deadline(for session: SMTPServerSession, dataStartedAt: C.Instant?, commandDeadline: C.Instant) -> C.Instant {
        guard let dataStartedAt else { return commandDeadline }
        let allowance = Duration.seconds(Double(session.dataBytesReceived) / Double(max(1, configuration.minimumDataRate)))
        return dataStartedAt.advanced(by: configuration.dataTimeout + allowance)
    }

    /// Hand the pending replies to the channel. Not awaited while the client keeps up: writes
    /// stay in order on the event loop, and waiting for each one would add an event-loop
    /// round trip to every command. When the client leaves too much unread, wait (within the
    /// command deadline) until it reads. False: the control closed the connection meanwhile.
    func flush(_ output: inout ByteBuffer, _ backlog: ReplyBacklog, _ session: SMTPServerSession) async throws -> Bool {
        guard output.readableBytes > 0 else { return true }
        let bytes = output
        output.clear()
        backlog.write(bytes, to: channel.channel)
        guard backlog.isFull else { return true }
        let now = clock.now
        guard control.beginWait(.output, until: now.advanced(by: configuration.commandTimeout),
                                inTransaction: session.hasOpenTransaction, now: now)
        else {
            // Shutting down: the client is not reading, so a 421 would not reach it.
            channel.channel.close(promise: nil)
            return false
        }
        let channel = channel.channel
        await withTaskCancellationHandler {
            await backlog.waitForDrain()
        } onCancel: {
            channel.close(promise: nil)
        }
        return !control.endWait() && channel.isActive
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
