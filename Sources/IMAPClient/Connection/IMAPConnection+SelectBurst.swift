import IMAPCodec
import MailModel

extension IMAPConnection {
    /// What ``select(_:status:flagsOf:)`` read: the mailbox as SELECT reported it, STATUS's
    /// answer if it was asked, and the flags if they were asked and the FETCH succeeded.
    public struct SelectBurst: Sendable {
        public var selected: SelectedMailbox
        public var status: MailboxStatus?
        public var flags: [(uid: UID, flags: [Flag])]?
    }

    /// One folder of a ``select(_:)`` burst: SELECT it, then ask STATUS for `status` (none
    /// when empty) and the flags of `flagsOf` (none when nil).
    public struct SelectRequest: Sendable {
        public var mailbox: MailboxPath
        public var status: [StatusAttribute]
        public var flagsOf: UIDSet?

        public init(mailbox: MailboxPath, status: [StatusAttribute] = [], flagsOf: UIDSet? = nil) {
            self.mailbox = mailbox
            self.status = status
            self.flagsOf = flagsOf
        }
    }

    /// `SELECT mailbox`, with `STATUS mailbox (attributes)` (none when empty) and
    /// `UID FETCH uids (UID FLAGS)` (none when nil) written right behind it: one round trip
    /// where a server's SELECT leaves out what STATUS tells (Courier sends no UIDNEXT), and
    /// where the caller already knows it will read the flags (a re-run without CONDSTORE).
    /// The server runs the commands in order, so both describe the mailbox SELECT opened.
    ///
    /// A failed SELECT is the error thrown (the rest is still read to its end), then a failed
    /// STATUS. A failed FETCH is no error: ``SelectBurst/flags`` is then nil and the caller
    /// reads them the usual way (so does a name that needs a synchronizing literal, whose
    /// SELECT and STATUS are sent one after the other).
    public func select(_ mailbox: MailboxPath, status attributes: [StatusAttribute], flagsOf uids: UIDSet? = nil) async throws -> SelectBurst {
        try await select([SelectRequest(mailbox: mailbox, status: attributes, flagsOf: uids)])[0].get()
    }

    /// The bursts of several folders written at once, and their answers read as they come:
    /// one round trip for all of them (a re-run on Courier reads every folder's flags so).
    /// The server runs them in order; the last folder whose SELECT succeeded stays selected
    /// (``state``), or none when the last SELECT failed.
    ///
    /// Each folder's result is its own: a failed SELECT or STATUS is that folder's failure,
    /// as ``select(_:status:flagsOf:)`` would throw it, and the other folders go on. Names that
    /// need a synchronizing literal go one after the other, after the burst. A broken
    /// connection or protocol is thrown.
    public func select(_ requests: [SelectRequest]) async throws -> [Result<SelectBurst, IMAPClientError>] {
        var results = [Result<SelectBurst, IMAPClientError>?](repeating: nil, count: requests.count)
        var burst: [Int] = []
        var oneByOne: [Int] = []
        for (index, request) in requests.enumerated() {
            // A name sent as a synchronizing literal waits for the server's "+", and the answers
            // to the commands already written would arrive in that wait.
            let select = Command.select(request.mailbox, condStore: machine.capabilities.contains(.condStore))
            let needsContinuation = (try? CommandEncoder.encode(select, tag: "A0", options: machine.encodingOptions))?
                .chunks.contains(where: \.waitForContinuation) ?? true
            if needsContinuation { oneByOne.append(index) } else { burst.append(index) }
        }
        if !burst.isEmpty {
            for (index, result) in zip(burst, try await pipelinedSelects(burst.map { requests[$0] })) { results[index] = result }
        }
        for index in oneByOne {
            let request = requests[index]
            do {
                var answer = SelectBurst(selected: try await select(request.mailbox))
                if !request.status.isEmpty { answer.status = try await status(request.mailbox, request.status) }
                results[index] = .success(answer)
            } catch let error as IMAPClientError {
                guard case .commandFailed = error.kind else { throw error }
                results[index] = .failure(error)
            }
        }
        return results.map { $0! }  // every index is in `burst` or `oneByOne`
    }

    /// What one command of a burst is for.
    private enum BurstRole { case select, status, fetch }

    private func pipelinedSelects(_ requests: [SelectRequest]) async throws -> [Result<SelectBurst, IMAPClientError>] {
        var planned: [(folder: Int, role: BurstRole, command: Command, kind: ClientStateMachine.CommandKind)] = []
        for (folder, request) in requests.enumerated() {
            planned.append((folder, .select, .select(request.mailbox, condStore: machine.capabilities.contains(.condStore)), .select(request.mailbox)))
            if !request.status.isEmpty {
                planned.append((folder, .status, .status(request.mailbox, offeredStatusAttributes(request.status)), .other))
            }
            if let uids = request.flagsOf, !uids.isEmpty {
                planned.append((folder, .fetch, .uidFetch(uids, [.uid, .flags], changedSince: nil), .other))
            }
        }
        let tags = try await sendAll(planned.map { ($0.command, $0.kind) })
        let commands = zip(tags, planned).map { (tag: $0, folder: $1.folder, role: $1.role, command: $1.command) }
        let sent = Set(tags)
        var completed: [String: TaggedResponse] = [:]
        var answers = requests.map { SelectBurst(selected: SelectedMailbox(path: $0.mailbox)) }
        var flags = [[(uid: UID, flags: [Flag])]](repeating: [], count: requests.count)
        var current: FetchAccumulator?
        // The first command not yet complete: the server answers in order, so untagged data
        // belongs to it.
        var cursor = 0
        func advance() { while cursor < commands.count, completed[commands[cursor].tag] != nil { cursor += 1 } }
        while cursor < commands.count {
            let (_, folder, role, _) = commands[cursor]
            switch try await nextAction() {
            case .data(let event):
                switch (role, event) {
                case (.select, _):
                    answers[folder].selected.apply(event)
                case (.status, .untagged(.status(_, let value))):
                    answers[folder].status = value
                case (.fetch, .fetch(let fetch)):
                    switch fetch {
                    case .start(let sequence): current = FetchAccumulator(sequenceNumber: sequence)
                    case .attribute(let attribute): current?.apply(attribute)
                    case .streamingBegin, .streamingBytes, .streamingEnd: break
                    case .finish:
                        if let done = current, let uid = done.uid, let messageFlags = done.flags { flags[folder].append((uid, messageFlags)) }
                        current = nil
                    }
                default:
                    noteUnsolicited(event)
                }
            case .completed(let response, _, _) where completed[response.tag] == nil && sent.contains(response.tag):
                completed[response.tag] = response
                advance()
            case .completed, .sendNextChunk, .challenge, .bye:
                await closeAfterFailure()
                throw IMAPClientError(.protocolViolation("unexpected response while waiting for SELECT"))
            }
        }
        unsolicited.removeAll()
        var results: [Result<SelectBurst, IMAPClientError>] = []
        let byFolder = Dictionary(grouping: commands, by: \.folder)
        for folder in requests.indices {
            let mine = byFolder[folder]!  // each folder has its SELECT
            // The loop ends only once every command is complete.
            let failed = mine.first { $0.role != .fetch && completed[$0.tag]!.status != .ok }
            if let failed {
                results.append(.failure(IMAPClientError(.commandFailed(command: failed.command.name, response: completed[failed.tag]!))))
                continue
            }
            var answer = answers[folder]
            answer.selected.isReadOnly = completed[mine[0].tag]!.text.code == .readOnly
            if let fetch = mine.first(where: { $0.role == .fetch }), completed[fetch.tag]!.status == .ok {
                answer.flags = flags[folder].sorted { $0.uid < $1.uid }
            }
            results.append(.success(answer))
        }
        return results
    }
}
