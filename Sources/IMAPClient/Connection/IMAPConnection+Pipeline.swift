import IMAPCodec
import Logging

extension IMAPConnection {
    /// Registers and writes `commands` with one hand-over to the event loop and one flush,
    /// returning their tags in order. None may need a continuation (a synchronizing literal):
    /// the caller sends those with ``send(_:kind:startTLS:)``. If one cannot be encoded,
    /// nothing is written, every tag is completed locally, and the error is thrown.
    func sendAll(_ commands: [(command: Command, kind: ClientStateMachine.CommandKind)]) async throws -> [String] {
        var tags: [String] = []
        var parts: [IMAPOutboundPart] = []
        for (command, kind) in commands {
            let tag = try startCommand(kind)
            tags.append(tag)
            let encoded: EncodedCommand
            do {
                encoded = try CommandEncoder.encode(command, tag: tag, options: machine.encodingOptions)
            } catch {
                completeUnsent(tags)
                throw IMAPClientError(.invalidArgument(error))
            }
            guard !encoded.chunks.contains(where: \.waitForContinuation) else {
                completeUnsent(tags)
                throw IMAPClientError(.unsupported("\(command.name) with a synchronizing literal in a pipelined burst"))
            }
            logger.trace("sending", metadata: ["imap.command": "\(encoded.redactedDescription.trimmingSuffixCRLF)"])
            for (index, chunk) in encoded.chunks.enumerated() {
                parts.append(index == 0 ? .commandStart(tag: tag, chunk.bytes) : .bytes(chunk.bytes))
            }
        }
        try await write(contentsOf: parts)
        return tags
    }

    /// Completes registered commands that were never written, so the state stays consistent.
    private func completeUnsent(_ tags: [String]) {
        for tag in tags { _ = try? machine.receive(.tagged(TaggedResponse(tag: tag, status: .bad, text: ResponseText(text: "not sent")))) }
    }

    /// Sends `commands` with at most `depth` in flight and hands every untagged response to
    /// `onData`. A command that fails stops the sending of further ones; the ones in flight
    /// are still read to completion, then the first failure is thrown. If `onData` throws,
    /// the connection is closed (responses are still on the way) and the error rethrown.
    func pipeline(_ commands: [Command], depth: Int, onData: (ResponseEvent) async throws -> Void) async throws {
        var next = 0
        var inFlight: [String: Command] = [:]
        var failure: IMAPClientError?
        while next < commands.count || !inFlight.isEmpty {
            while failure == nil, next < commands.count, inFlight.count < depth {
                let (tag, early) = try await send(commands[next], kind: .other)
                if let early, early.status != .ok {
                    failure = IMAPClientError(.commandFailed(command: commands[next].name, response: early))
                } else if early == nil {
                    inFlight[tag] = commands[next]
                }
                next += 1
            }
            if failure != nil, inFlight.isEmpty { break }
            switch try await nextAction() {
            case .data(let event):
                do {
                    try await onData(event)
                } catch {
                    await closeAfterFailure()
                    throw error
                }
            case .completed(let response, _, _):
                guard let command = inFlight.removeValue(forKey: response.tag) else {
                    throw IMAPClientError(.protocolViolation("a completion for a command of another operation"))
                }
                if response.status != .ok, failure == nil {
                    failure = IMAPClientError(.commandFailed(command: command.name, response: response))
                }
            case .sendNextChunk, .challenge, .bye:
                await closeAfterFailure()
                throw IMAPClientError(.protocolViolation("unexpected continuation during pipelined commands"))
            }
        }
        if let failure { throw failure }
    }
}
