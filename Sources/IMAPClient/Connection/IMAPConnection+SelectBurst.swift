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
        var burst = SelectBurst(selected: SelectedMailbox(path: mailbox))
        let select = Command.select(mailbox, condStore: machine.capabilities.contains(.condStore))
        let statusCommand = attributes.isEmpty ? nil : Command.status(mailbox, offeredStatusAttributes(attributes))
        let fetchCommand = uids.flatMap { $0.isEmpty ? nil : Command.uidFetch($0, [.uid, .flags], changedSince: nil) }
        // A name sent as a synchronizing literal waits for the server's "+", and the answers
        // to the commands already written would arrive in that wait: one after the other then.
        let needsContinuation = (try? CommandEncoder.encode(select, tag: "A0", options: machine.encodingOptions))?
            .chunks.contains(where: \.waitForContinuation) ?? true
        if needsContinuation {
            burst.selected = try await self.select(mailbox)
            if !attributes.isEmpty { burst.status = try await status(mailbox, attributes) }
            return burst
        }

        let (selectTag, selectEarly) = try await send(select, kind: .select(mailbox))
        var completed: [String: TaggedResponse] = [:]
        var statusTag: String?
        var fetchTag: String?
        if let selectEarly {
            completed[selectTag] = selectEarly
        } else {
            if let statusCommand {
                let (tag, early) = try await send(statusCommand, kind: .other)
                statusTag = tag
                if let early { completed[tag] = early }
            }
            if let fetchCommand {
                let (tag, early) = try await send(fetchCommand, kind: .other)
                fetchTag = tag
                if let early { completed[tag] = early }
            }
        }
        let tags = [selectTag, statusTag, fetchTag].compactMap { $0 }
        var flags: [(uid: UID, flags: [Flag])] = []
        var current: FetchAccumulator?
        while completed.count < tags.count {
            switch try await nextAction() {
            case .data(let event):
                if completed[selectTag] == nil {
                    burst.selected.apply(event)
                } else if case .untagged(.status(_, let value)) = event {
                    burst.status = value
                } else if fetchTag != nil, case .fetch(let fetch) = event {
                    switch fetch {
                    case .start(let sequence): current = FetchAccumulator(sequenceNumber: sequence)
                    case .attribute(let attribute): current?.apply(attribute)
                    case .streamingBegin, .streamingBytes, .streamingEnd: break
                    case .finish:
                        if let done = current, let uid = done.uid, let messageFlags = done.flags { flags.append((uid, messageFlags)) }
                        current = nil
                    }
                } else {
                    noteUnsolicited(event)
                }
            case .completed(let response, _, _) where tags.contains(response.tag) && completed[response.tag] == nil:
                completed[response.tag] = response
            case .completed, .sendNextChunk, .challenge, .bye:
                await closeAfterFailure()
                throw IMAPClientError(.protocolViolation("unexpected response while waiting for SELECT"))
            }
        }
        let selectDone = completed[selectTag]!  // the loop ends only once every command is complete
        guard selectDone.status == .ok else { throw IMAPClientError(.commandFailed(command: select.name, response: selectDone)) }
        if let statusTag, let statusCommand, let response = completed[statusTag], response.status != .ok {
            throw IMAPClientError(.commandFailed(command: statusCommand.name, response: response))
        }
        if let fetchTag, completed[fetchTag]?.status == .ok {
            burst.flags = flags.sorted { $0.uid < $1.uid }
        }
        burst.selected.isReadOnly = selectDone.text.code == .readOnly
        unsolicited.removeAll()
        return burst
    }
}
