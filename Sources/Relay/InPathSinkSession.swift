import BlockingIO
import Logging
import MailModel
import MailSpool
import NIOCore
import SMTPClient
import SMTPCodec
import SMTPServer

/// One inbound connection of the in-path relay: a matching session to the primary, and
/// a spool copy per accepted message.
final class InPathSinkSession<C: Clock>: MessageSinkSession where C.Duration == Duration {
    let sink: InPathSink<C>
    /// The client's IP address, for the copy's `Received:` line.
    let client: String?
    let logger: Logger
    let now: @Sendable () -> Double
    var primary: SMTPCommandConnection?
    var encoder = SMTPDataEncoder()
    var copy: SpoolingSinkSession?
    var copyFailed = false

    init(sink: InPathSink<C>, client: String?, logger: Logger, now: @escaping @Sendable () -> Double) {
        self.sink = sink
        self.client = client
        self.logger = logger
        self.now = now
    }

    static var primaryUnavailable: SMTPReply { SMTPReply(code: 451, EnhancedStatusCode(4, 4, 1), "Error: the mail server is unavailable, try again later") }

    func connectedPrimary() async -> SMTPCommandConnection? {
        if let primary { return primary }
        do {
            let connection = try await SMTPCommandConnection.open(host: sink.primaryHost, port: sink.primaryPort)
            guard connection.greeting.code == 220, try await connection.hello(sink.heloName).isPositiveCompletion else {
                await connection.close()
                return nil
            }
            primary = connection
            return connection
        } catch {
            logger.info("primary unavailable", metadata: ["relay.error": "\(error)"])
            return nil
        }
    }

    /// Forward a command; a broken primary session becomes 451 for the client.
    func forward(_ command: SMTPCommand) async -> SMTPReply {
        guard let primary = await connectedPrimary() else { return Self.primaryUnavailable }
        do {
            return try await primary.send(command)
        } catch {
            await dropPrimary(error)
            return Self.primaryUnavailable
        }
    }

    func dropPrimary(_ error: any Error) async {
        logger.info("primary session failed", metadata: ["relay.error": "\(error)"])
        await primary?.close()
        primary = nil
    }

    func sender(_ sender: ReversePath, parameters: MailParameters) async -> SMTPReply {
        await forward(.mail(sender, parameters))
    }

    func recipient(_ recipient: ForwardPath) async -> SMTPReply {
        await forward(.recipient(recipient, RecipientParameters()))
    }

    func beginMessage(_ envelope: MailEnvelope) async -> SMTPReply? {
        let reply = await forward(.data)
        guard reply.code == 354 else { return reply }
        encoder = SMTPDataEncoder()
        copyFailed = false
        let trace = sink.trace
        let client = self.client
        let session = SpoolingSinkSession(
            spool: sink.spool, io: sink.io, logger: logger, now: now, onQueued: { _ in },
            trace: { trace.lines(id: $0, client: client, recipients: $1, unixTime: $2) },
            copySender: .mailbox(sink.bounceAddress), route: { .accept($0) })
        _ = await session.beginMessage(envelope)
        copy = session
        return nil
    }

    func messageData(_ chunk: ByteBuffer) async {
        var encoded = ByteBuffer()
        encoder.encode(chunk, into: &encoded)
        if let primary {
            do {
                try await primary.write(encoded)
            } catch {
                await dropPrimary(error)
            }
        }
        await copy?.messageData(chunk)
    }

    /// End of data: the primary's verdict and the copy's fsync run side by side; the
    /// primary's reply is passed on only once the copy is durable (or has failed).
    func commitMessage() async -> SMTPReply {
        var end = ByteBuffer()
        encoder.finish(into: &end)
        guard let primary else { return abortCopy(reply: Self.primaryUnavailable) }
        let copy = self.copy
        self.copy = nil
        // The end-of-data line goes out first, so the primary's own fsync and ours overlap.
        var sent = true
        do {
            try await primary.write(end)
        } catch {
            await dropPrimary(error)
            sent = false
        }
        let copied = await copy?.commitWithoutQueueing()
        var reply = Self.primaryUnavailable
        if sent, let primary = self.primary {
            do {
                reply = try await primary.nextReply()
            } catch {
                await dropPrimary(error)
            }
        }
        if reply.isPositiveCompletion {
            if let copied {
                await sink.onQueued(copied)
            } else {
                logger.info("copy not spooled; the sender still gets the primary's reply")
            }
        } else if let id = copied?.id {
            let spool = sink.spool
            _ = try? await sink.io.run { try spool.discard(id) }
        }
        return reply
    }

    func abortCopy(reply: SMTPReply) -> SMTPReply {
        copy?.writer?.abort()
        copy = nil
        return reply
    }

    func abortTransaction() async {
        let inData = copy != nil
        await copy?.abortTransaction()
        copy = nil
        if inData {
            // Refused by mailferry during DATA (size or hop limit): the primary is reading
            // message data, where an RSET would be content and the reply would never come.
            // Only closing the session makes it drop the partial message; the next
            // transaction opens a new one.
            await primary?.close()
            primary = nil
            return
        }
        if let primary {
            do {
                _ = try await primary.send(.reset)
            } catch {
                await dropPrimary(error)
            }
        }
    }

    func close() async {
        await copy?.abortTransaction()
        copy = nil
        await primary?.close()
        primary = nil
    }
}
