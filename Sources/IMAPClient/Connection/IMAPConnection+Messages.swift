import IMAPCodec
import MailModel

extension IMAPConnection {
    /// `UID STORE` of flags and keywords, `+FLAGS`, `-FLAGS` or `FLAGS`, silent by default.
    /// With `unchangedSince` (CONDSTORE) returns the UIDs the server refused to change
    /// because they were modified since (`[MODIFIED ...]`). Big sets are split and pipelined.
    @discardableResult
    public func store(_ uids: UIDSet, _ operation: StoreOperation, unchangedSince: ModSeq? = nil) async throws -> UIDSet {
        if unchangedSince != nil, !machine.capabilities.contains(.condStore) { throw IMAPClientError(.unsupported("CONDSTORE")) }
        let commands = uids.split(maximumEncodedLength: configuration.maximumUIDSetLength).map {
            Command.uidStore($0, operation, unchangedSince: unchangedSince)
        }
        var modified = UIDSet()
        // MODIFIED arrives in the tagged OK; pipeline() only reports failures, so one at a time
        // when it matters, pipelined otherwise.
        if unchangedSince != nil {
            for command in commands {
                let response = try await execute(command) { noteUnsolicited($0) }
                if case .modified(let set)? = response.text.code {
                    for range in set.ranges { modified.insert(range) }
                }
            }
        } else {
            try await pipeline(commands, depth: configuration.fetchPipelineDepth) { noteUnsolicited($0) }
        }
        return modified
    }

    /// `UID SEARCH`: the UIDs of the matching messages, ascending.
    public func search(_ key: SearchKey) async throws -> [UID] {
        var result: [UID] = []
        try await execute(.uidSearch(key)) { event in
            if case .untagged(.search(let numbers, _)) = event {
                result.append(contentsOf: numbers.compactMap { UID($0) })
            } else {
                noteUnsolicited(event)
            }
        }
        return result.sorted()
    }

    /// `UID EXPUNGE` (RFC 4315): removes only these UIDs' \Deleted messages. Refuses servers
    /// without UIDPLUS rather than falling back to EXPUNGE, which would remove every
    /// \Deleted message in the mailbox.
    public func expunge(_ uids: UIDSet) async throws {
        guard machine.capabilities.contains(.uidPlus) else { throw IMAPClientError(.unsupported("UIDPLUS (UID EXPUNGE)")) }
        let commands = uids.split(maximumEncodedLength: configuration.maximumUIDSetLength).map { Command.uidExpunge($0) }
        try await pipeline(commands, depth: 1) { noteUnsolicited($0) }
    }

    /// Untagged responses received outside an operation (EXISTS, EXPUNGE, flag updates by
    /// other sessions), oldest first; reading them empties the list.
    public func takeUnsolicitedResponses() -> [ResponseEvent] {
        defer { unsolicited.removeAll() }
        return unsolicited
    }
}
