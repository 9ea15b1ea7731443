import BlockingIO
import Logging
import MailModel
import MailSpool
import NIOCore
import SMTPCodec
import SMTPServer

/// One connection's worth of spooling: routes recipients, streams content into a
/// `SpoolWriter`, and commits durably before answering 250.
///
/// Content is held in memory up to `memoryLimit` (the header section always fits, since the
/// session caps it below that, so its Message-ID can be stored with the envelope): a typical
/// message then costs one trip to the I/O pool, where it becomes a record in a shared
/// segment whose fdatasync it shares with the other sessions (`MailSpool.commit`). Larger
/// messages stream to a file of their own as they arrive.
final class SpoolingSinkSession: MessageSinkSession {
    let spool: MailSpool
    let io: BlockingIO
    let logger: Logger
    let now: @Sendable () -> Double
    let onQueued: @Sendable (CommittedMessage) async -> Void
    /// The lines put on top of the copy (`MirrorTrace.lines`): queue id, recipients, time.
    let trace: @Sendable (QueueID, [ForwardPath], Double) -> String
    let route: @Sendable (ForwardPath) -> RecipientRoute
    /// The envelope sender of the copies: mailferry's own, so that no notification about a
    /// copy can ever reach the real sender. Nil keeps the sender (nothing uses that today).
    let copySender: ReversePath?
    /// Makes a notification to the bounce address durable (blocking; run on `io`).
    let recordNotification: (@Sendable ([UInt8], Double) throws -> Void)?

    var envelope: MailEnvelope?
    /// The first `LateFailure.readLimit` octets of a message to the bounce address, if any.
    var notification: [UInt8]?
    /// The sender the client gave, kept in the entry's metadata when `copySender` replaced it.
    var originalSender: ReversePath?
    var buffered: [UInt8] = []
    var writer: SpoolWriter?
    var failure: (any Error)?
    static let memoryLimit = MailSpool.segmentThreshold

    init(spool: MailSpool, io: BlockingIO, logger: Logger, now: @escaping @Sendable () -> Double,
         onQueued: @escaping @Sendable (CommittedMessage) async -> Void, trace: @escaping @Sendable (QueueID, [ForwardPath], Double) -> String,
         copySender: ReversePath?, route: @escaping @Sendable (ForwardPath) -> RecipientRoute,
         recordNotification: (@Sendable ([UInt8], Double) throws -> Void)? = nil) {
        self.spool = spool
        self.io = io
        self.logger = logger
        self.now = now
        self.onQueued = onQueued
        self.trace = trace
        self.copySender = copySender
        self.route = route
        self.recordNotification = recordNotification
    }

    func sender(_ sender: ReversePath, parameters: MailParameters) async -> SMTPReply { .senderOK }

    func recipient(_ recipient: ForwardPath) async -> SMTPReply {
        switch route(recipient) {
        case .accept: return .recipientOK
        case .collect: return recordNotification == nil ? MirrorRules.relayDenied : .recipientOK
        case .refuse(let reply):
            logger.debug("recipient refused", metadata: ["smtp.reply": "\(reply.code)"])
            return reply
        }
    }

    func beginMessage(_ envelope: MailEnvelope) async -> SMTPReply? {
        var routed = envelope
        // A recipient given twice (or twice after the shadow domain is rewritten) gets one copy.
        var seen = Set<ForwardPath>()
        routed.recipients = envelope.recipients.compactMap { route($0).accepted }.filter { seen.insert($0).inserted }
        if let copySender {
            originalSender = envelope.sender
            routed.sender = copySender
        }
        self.envelope = routed
        notification = envelope.recipients.contains { route($0) == .collect } ? [] : nil
        buffered = []
        writer = nil
        failure = nil
        return nil
    }

    func messageData(_ chunk: ByteBuffer) async {
        guard failure == nil else { return }
        if let held = notification, held.count < LateFailure.readLimit {
            notification = held + chunk.readableBytesView.prefix(LateFailure.readLimit - held.count)
        }
        // A notification only: nothing to spool.
        if notification != nil, envelope?.recipients.isEmpty == true { return }
        if let writer {
            await write(chunk, to: writer)
            return
        }
        buffered.append(contentsOf: chunk.readableBytesView)
        if buffered.count > Self.memoryLimit { await openWriter() }
    }

    func commitMessage() async -> SMTPReply {
        if let notification, let recordNotification {
            let time = now()
            do {
                try await io.run { try recordNotification(notification, time) }
            } catch {
                logger.info("could not record a notification; answering 451", metadata: ["relay.error": "\(error)"])
                return .localError
            }
            logger.debug("notification about a copy recorded")
            if envelope?.recipients.isEmpty == true { return .ok("Ok: notification recorded") }
        }
        guard let committed = await commitEntry() else { return .localError }
        logger.debug("message queued", metadata: ["spool.queue.id": "\(committed.id)", "spool.size": "\(committed.bodyLength)"])
        await onQueued(committed)
        return .ok("Ok: queued as \(committed.id)")
    }

    /// Commit without handing the entry to the queue (the in-path relay decides after the
    /// primary's verdict). Nil if the copy could not be made durable.
    func commitWithoutQueueing() async -> CommittedMessage? {
        await commitEntry()
    }

    /// Make the message durable: the streaming writer's commit, or, for a message held in
    /// memory, everything in one I/O-pool call (and its bytes handed on with its ID).
    func commitEntry() async -> CommittedMessage? {
        guard failure == nil else {
            _ = failed("write")
            return nil
        }
        do {
            if let writer {
                let entry = try await io.run { try writer.commit() }
                self.writer = nil
                return CommittedMessage(id: entry.id, bodyLength: entry.bodyLength)
            }
            guard let (spoolEnvelope, bytes) = prepare() else { return nil }
            let spool = self.spool
            let entry = try await io.run { try spool.commit(spoolEnvelope, body: bytes) }
            return CommittedMessage(id: entry.id, bodyLength: entry.bodyLength, contents: (spoolEnvelope, bytes))
        } catch {
            failure = error
            _ = failed("commit")
            return nil
        }
    }

    func abortTransaction() async {
        if let writer { _ = try? await io.run { writer.abort() } }
        writer = nil
        envelope = nil
        notification = nil
        buffered = []
    }

    func close() async {
        await abortTransaction()
    }

    /// The spool envelope (new queue ID, Message-ID from the held header) and the bytes held
    /// so far, with the trace lines in front and an incoming tag renamed (the header section
    /// is always held whole here: the session caps it below `memoryLimit`).
    func prepare() -> (SpoolEnvelope, [UInt8])? {
        guard let envelope else { return nil }
        let time = now()
        let id = QueueID.make(unixTime: time)
        var metadata: [String: String] = [:]
        if let messageID = HeaderFields.first("message-id", in: buffered) { metadata["message-id"] = messageID }
        if let originalSender { metadata["original-sender"] = originalSender.description }
        let content = HeaderFields.renaming(MirrorTag.headerName, to: MirrorTag.neutralizedHeaderName, in: buffered)
        let bytes = Array(trace(id, envelope.recipients, time).utf8) + content
        buffered = []
        return (SpoolEnvelope(id: id, receivedAt: time, envelope: envelope, metadata: metadata), bytes)
    }

    /// Switch to streaming: create the file with what is held so far.
    func openWriter() async {
        guard let (spoolEnvelope, first) = prepare() else { return }
        do {
            let spool = self.spool
            writer = try await io.run {
                let writer = try spool.makeWriter(spoolEnvelope)
                try writer.write(first)
                return writer
            }
        } catch {
            failure = error
        }
    }

    func write(_ chunk: ByteBuffer, to writer: SpoolWriter) async {
        do {
            try await io.run { try chunk.withUnsafeReadableBytes { try writer.write($0) } }
        } catch {
            failure = error
        }
    }

    func failed(_ step: String) -> SMTPReply {
        logger.info("spool \(step) failed; answering 451", metadata: ["spool.error": "\(failure.map { "\($0)" } ?? "unknown")"])
        writer?.abort()
        writer = nil
        return .localError
    }
}
