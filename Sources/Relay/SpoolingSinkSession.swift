import Logging
import MailModel
import MailSpool
import NIOCore
import SMTPCodec
import SMTPServer

/// One connection's worth of spooling: routes recipients, streams content into a
/// `SpoolWriter`, and commits durably before answering 250.
///
/// The header section is held in memory until it is complete (bounded by the session's
/// header size limit) so its Message-ID can be stored with the envelope for reports; the
/// rest streams to disk.
final class SpoolingSinkSession: MessageSinkSession {
    let spool: MailSpool
    let io: BlockingIO
    let logger: Logger
    let now: @Sendable () -> Double
    let onQueued: @Sendable (QueueID) async -> Void
    let traceHeader: @Sendable (QueueID) -> String
    let route: @Sendable (ForwardPath) -> RecipientRoute

    var envelope: MailEnvelope?
    var headerBytes: [UInt8] = []
    var writer: SpoolWriter?
    var failure: (any Error)?
    static let headerHoldLimit = 128 * 1024

    init(spool: MailSpool, io: BlockingIO, logger: Logger, now: @escaping @Sendable () -> Double,
         onQueued: @escaping @Sendable (QueueID) async -> Void, traceHeader: @escaping @Sendable (QueueID) -> String,
         route: @escaping @Sendable (ForwardPath) -> RecipientRoute) {
        self.spool = spool
        self.io = io
        self.logger = logger
        self.now = now
        self.onQueued = onQueued
        self.traceHeader = traceHeader
        self.route = route
    }

    func sender(_ sender: ReversePath, parameters: MailParameters) async -> SMTPReply { .senderOK }

    func recipient(_ recipient: ForwardPath) async -> SMTPReply {
        switch route(recipient) {
        case .accept: return .recipientOK
        case .refuse(let reply):
            logger.debug("recipient refused", metadata: ["smtp.reply": "\(reply.code)"])
            return reply
        }
    }

    func beginMessage(_ envelope: MailEnvelope) async -> SMTPReply? {
        var routed = envelope
        routed.recipients = envelope.recipients.compactMap { route($0).accepted }
        self.envelope = routed
        headerBytes = []
        writer = nil
        failure = nil
        return nil
    }

    func messageData(_ chunk: ByteBuffer) async {
        guard failure == nil else { return }
        if let writer {
            await write(chunk, to: writer)
            return
        }
        headerBytes.append(contentsOf: chunk.readableBytesView)
        if Self.headerIsComplete(headerBytes) || headerBytes.count > Self.headerHoldLimit {
            await openWriter()
        }
    }

    func commitMessage() async -> SMTPReply {
        if writer == nil && failure == nil { await openWriter() }
        guard failure == nil, let writer else { return failed("write") }
        do {
            let entry = try await io.run { try writer.commit() }
            self.writer = nil
            logger.debug("message queued", metadata: ["spool.queue.id": "\(entry.id)", "spool.size": "\(entry.bodyLength)"])
            await onQueued(entry.id)
            return .ok("Ok: queued as \(entry.id)")
        } catch {
            failure = error
            return failed("commit")
        }
    }

    /// Commit without handing the entry to the queue (the in-path relay decides after the
    /// primary's verdict). Returns the entry, or nil if the copy could not be made durable.
    func commitWithoutQueueing() async -> SpoolEntry? {
        if writer == nil && failure == nil { await openWriter() }
        guard failure == nil, let writer else {
            _ = failed("write")
            return nil
        }
        do {
            let entry = try await io.run { try writer.commit() }
            self.writer = nil
            return entry
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
        headerBytes = []
    }

    func close() async {
        await abortTransaction()
    }

    func openWriter() async {
        guard let envelope else { return }
        let time = now()
        let id = QueueID.make(unixTime: time)
        var metadata: [String: String] = [:]
        if let messageID = HeaderFields.first("message-id", in: headerBytes) { metadata["message-id"] = messageID }
        let spoolEnvelope = SpoolEnvelope(id: id, receivedAt: time, envelope: envelope, metadata: metadata)
        let first = Array(traceHeader(id).utf8) + headerBytes
        headerBytes = []
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

    static func headerIsComplete(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return false }
        if bytes.starts(with: [13, 10]) { return true }
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(of: 10) {
            if found + 2 < bytes.count, bytes[found + 1] == 13, bytes[found + 2] == 10 { return true }
            index = found + 1
        }
        return false
    }
}
