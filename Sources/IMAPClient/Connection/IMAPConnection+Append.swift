import IMAPCodec
import Logging
import MailModel
import NIOCore

extension IMAPConnection {
    /// APPENDs one message; returns its UID when the server has UIDPLUS.
    public func append(_ message: AppendMessage, to mailbox: MailboxPath) async throws -> AppendResult {
        let results = try await append([message], to: mailbox)
        return try results[0].get()
    }

    /// APPENDs several messages, each its own command, with up to
    /// ``IMAPClientConfiguration/appendPipelineDepth`` in flight: with LITERAL+ the next one is
    /// sent without waiting for the server; without it, each waits only for its own
    /// continuation request. Returns one result per message, in order: a rejected message
    /// (quota, TRYCREATE, size limit) does not stop the others. Throws only when the
    /// connection fails, after which nothing more is known about the messages in flight.
    public func append(_ messages: [AppendMessage], to mailbox: MailboxPath) async throws -> [Result<AppendResult, IMAPClientError>] {
        var results = [Result<AppendResult, IMAPClientError>?](repeating: nil, count: messages.count)
        var inFlight: [String: Int] = [:]
        func record(_ response: TaggedResponse, _ index: Int) {
            results[index] = response.status == .ok
                ? .success(AppendResult(response, messageCount: 1)) : .failure(IMAPClientError(.commandFailed(command: "APPEND", response: response)))
        }
        /// Reads one action, recording completions of APPENDs in flight. Returns true when
        /// it was the continuation request for `tag`, or the completion of `tag`.
        func readOne(waitingFor tag: String?) async throws -> (continued: Bool, completed: Bool) {
            switch try await nextAction() {
            case .sendNextChunk(let owner) where owner == tag: return (true, false)
            case .completed(let response, _, _):
                guard let index = inFlight.removeValue(forKey: response.tag) else {
                    throw IMAPClientError(.protocolViolation("a completion for a command of another operation"))
                }
                record(response, index)
                return (false, response.tag == tag)
            case .data(let event):
                noteUnsolicited(event)
                return (false, false)
            default:
                await closeAfterFailure()
                throw IMAPClientError(.protocolViolation("unexpected continuation during APPEND"))
            }
        }
        /// Waits for the continuation of `tag`; false if the server completed it instead.
        func awaitContinuation(_ tag: String) async throws -> Bool {
            while true {
                let (continued, completed) = try await readOne(waitingFor: tag)
                if continued { return true }
                if completed { return false }
            }
        }

        for (index, message) in messages.enumerated() {
            while inFlight.count >= configuration.appendPipelineDepth { _ = try await readOne(waitingFor: nil) }
            let tag = try startCommand(.other)
            inFlight[tag] = index
            let options = machine.encodingOptions
            let start: EncodedCommand
            let header: CommandChunk
            do {
                start = try CommandEncoder.encodeAppendStart(tag: tag, mailbox: mailbox, options: options)
                header = try CommandEncoder.encodeAppendMessageHeader(flags: message.flags, internalDate: message.internalDate, byteCount: message.body.byteCount, options: options)
            } catch {
                // Nothing of this command was written; the connection is still consistent
                // only if it is completed locally. Closing is simpler and safe.
                await closeAfterFailure()
                throw IMAPClientError(.invalidArgument(error))
            }
            logger.trace("sending", metadata: ["imap.command": "\(start.redactedDescription)", "imap.append.bytes": "\(message.body.byteCount)"])
            var accepted = true
            for (chunkIndex, chunk) in start.chunks.enumerated() {
                try await write(chunkIndex == 0 ? .commandStart(tag: tag, chunk.bytes) : .bytes(chunk.bytes))
                if chunk.waitForContinuation {
                    machine.waitForContinuation(tag: tag)
                    accepted = try await awaitContinuation(tag)
                    if !accepted { break }
                }
            }
            guard accepted else { continue }
            try await write(.bytes(header.bytes))
            if header.waitForContinuation {
                machine.waitForContinuation(tag: tag)
                guard try await awaitContinuation(tag) else { continue }
            }
            try await writeBody(message.body)
            try await write(.bytes(CommandEncoder.appendEnd))
        }
        while !inFlight.isEmpty { _ = try await readOne(waitingFor: nil) }
        return results.map { $0! }
    }

    /// MULTIAPPEND (RFC 3502): all messages in one command, stored all or none. Returns the
    /// UIDs in order when the server has UIDPLUS.
    public func appendAtomically(_ messages: [AppendMessage], to mailbox: MailboxPath) async throws -> AppendResult {
        guard machine.capabilities.contains(.multiAppend) else { throw IMAPClientError(.unsupported("MULTIAPPEND")) }
        precondition(!messages.isEmpty, "MULTIAPPEND needs at least one message")
        let tag = try startCommand(.other)
        let options = machine.encodingOptions
        let start: EncodedCommand
        do {
            start = try CommandEncoder.encodeAppendStart(tag: tag, mailbox: mailbox, options: options)
        } catch {
            await closeAfterFailure()
            throw IMAPClientError(.invalidArgument(error))
        }
        for (index, chunk) in start.chunks.enumerated() {
            try await write(index == 0 ? .commandStart(tag: tag, chunk.bytes) : .bytes(chunk.bytes))
            if chunk.waitForContinuation {
                machine.waitForContinuation(tag: tag)
                if let early = try await awaitContinuation(tag: tag, command: "APPEND") { return try Self.appendResult(early, messageCount: messages.count) }
            }
        }
        for message in messages {
            let header: CommandChunk
            do {
                header = try CommandEncoder.encodeAppendMessageHeader(flags: message.flags, internalDate: message.internalDate, byteCount: message.body.byteCount, options: options)
            } catch {
                await closeAfterFailure()
                throw IMAPClientError(.invalidArgument(error))
            }
            try await write(.bytes(header.bytes))
            if header.waitForContinuation {
                machine.waitForContinuation(tag: tag)
                if let early = try await awaitContinuation(tag: tag, command: "APPEND") { return try Self.appendResult(early, messageCount: messages.count) }
            }
            try await writeBody(message.body)
        }
        try await write(.bytes(CommandEncoder.appendEnd))
        return try Self.appendResult(try await awaitCompletion(of: tag, command: "APPEND") { noteUnsolicited($0) }, messageCount: messages.count)
    }

    private static func appendResult(_ response: TaggedResponse, messageCount: Int) throws -> AppendResult {
        guard response.status == .ok else { throw IMAPClientError(.commandFailed(command: "APPEND", response: response)) }
        return AppendResult(response, messageCount: messageCount)
    }

    /// The largest write of a literal: one TLS record. Each write is flushed on its own and
    /// TLS encrypts a flush into one buffer whose capacity it keeps and re-allocates for every
    /// later write (even a 10-byte one) while earlier ones wait for the socket; a 256 KB write
    /// would make every pending write on that connection cost 256 KB.
    static let bodyWriteSize = 16 * 1024

    /// Writes exactly `body.byteCount` bytes from the source, in writes of at most
    /// ``bodyWriteSize`` (slices, not copies), one hand-over to the event loop per chunk of
    /// the source (the thread switch costs more than the bytes of a write), or closes the
    /// connection.
    private func writeBody(_ body: AppendBody) async throws {
        var sent = 0
        while let chunk = try await nextChunk(of: body) {
            guard sent + chunk.readableBytes <= body.byteCount else {
                await closeAfterFailure()
                throw IMAPClientError(.appendSizeMismatch(expected: body.byteCount, actual: sent + chunk.readableBytes))
            }
            sent += chunk.readableBytes
            var rest = chunk
            var slices: [IMAPOutboundPart] = []
            while let slice = rest.readSlice(length: min(rest.readableBytes, Self.bodyWriteSize)), slice.readableBytes > 0 {
                slices.append(.bytes(slice))
            }
            try await write(contentsOf: slices)
        }
        guard sent == body.byteCount else {
            await closeAfterFailure()
            throw IMAPClientError(.appendSizeMismatch(expected: body.byteCount, actual: sent))
        }
    }

    private func nextChunk(of body: AppendBody) async throws -> ByteBuffer? {
        do {
            return try await body.nextChunk()
        } catch {
            // The literal is half sent: the server must not store a partial message.
            await closeAfterFailure()
            throw error
        }
    }
}
