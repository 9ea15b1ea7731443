import IMAPCodec

extension IMAPConnection {
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
