import IMAPCodec
import MailModel
import NIOCore

extension IMAPConnection {
    /// Metadata of the messages in `uids` (default: all) of the selected mailbox, in one
    /// command per ``IMAPClientConfiguration/maximumUIDSetLength`` of UID set, pipelined.
    /// MODSEQ is asked for when the server has CONDSTORE; `changedSince` (CONDSTORE) limits
    /// the answer to messages whose flags changed after that mod-sequence. With `sizes`
    /// false, RFC822.SIZE is not asked for and every summary's size is 0: Courier reads each
    /// whole message to answer it.
    public func fetchMetadata(
        _ uids: UIDSet = .all, changedSince: ModSeq? = nil, sizes: Bool = true, handler: (MessageMetadata) throws -> Void
    ) async throws {
        var items: [FetchItem] = [.uid, .flags, .internalDate]
        if sizes { items.append(.rfc822Size) }
        let condStore = machine.capabilities.contains(.condStore)
        if condStore { items.append(.modSeq) }
        if changedSince != nil, !condStore { throw IMAPClientError(.unsupported("CONDSTORE (CHANGEDSINCE)")) }
        try await fetchAttributes(uids, items, changedSince: changedSince) { done in
            // FETCH responses without UID are unsolicited flag updates, not results.
            guard let uid = done.uid, let size = sizes ? done.rfc822Size : 0 else { return }
            let summary = MessageSummary(uid: uid, flags: Set(done.flags ?? []), internalDate: done.internalDate, size: size)
            try handler(MessageMetadata(summary: summary, modSeq: done.modSeq))
        }
    }

    /// `UID FETCH` of non-streamed `items` for `uids`, one command per
    /// ``IMAPClientConfiguration/maximumUIDSetLength`` of UID set, pipelined; `each` gets
    /// every FETCH response's attributes once it is complete.
    func fetchAttributes(
        _ uids: UIDSet, _ items: [FetchItem], changedSince: ModSeq? = nil, each: (FetchAccumulator) throws -> Void
    ) async throws {
        let commands = uids.split(maximumEncodedLength: configuration.maximumUIDSetLength).map {
            Command.uidFetch($0, items, changedSince: changedSince)
        }
        var current: FetchAccumulator?
        try await pipeline(commands, depth: configuration.fetchPipelineDepth) { event in
            guard case .fetch(let fetch) = event else {
                noteUnsolicited(event)
                return
            }
            switch fetch {
            case .start(let sequence): current = FetchAccumulator(sequenceNumber: sequence)
            case .attribute(let attribute): current?.apply(attribute)
            case .streamingBegin, .streamingBytes, .streamingEnd: break
            case .finish:
                guard let done = current else { return }
                current = nil
                try each(done)
            }
        }
    }

    /// Metadata of the messages in `uids`, collected into an array (ascending UID).
    public func fetchMetadata(_ uids: UIDSet = .all, changedSince: ModSeq? = nil, sizes: Bool = true) async throws -> [MessageMetadata] {
        var result: [MessageMetadata] = []
        try await fetchMetadata(uids, changedSince: changedSince, sizes: sizes) { result.append($0) }
        return result.sorted { $0.uid < $1.uid }
    }

    /// Streams the bodies of `uids` (exact bytes, `BODY.PEEK[section]`, so \Seen is not set)
    /// through `handler`, without holding a message in memory: a 25 MB message passes as
    /// chunks of at most 64 KB, and the server is not read faster than `handler` returns.
    /// Many UIDs go in few commands, pipelined: Courier stalls on every FETCH that is sent
    /// alone and waited for.
    ///
    /// `including` adds items to each response (e.g. `.flags`, `.internalDate`); they arrive in
    /// ``BodyFetchEvent/end(_:)``. Returns the UIDs that got no body (expunged meanwhile, or
    /// NIL from the server). If `handler` throws, the connection is closed and the error
    /// rethrown.
    @discardableResult
    public func fetchBodies(
        _ uids: UIDSet, section: SectionSpecifier = .complete, including: [FetchItem] = [],
        handler: (BodyFetchEvent) async throws -> Void
    ) async throws -> UIDSet {
        guard !uids.isEmpty else { return UIDSet() }
        let items: [FetchItem] = [.uid] + including.filter { $0 != .uid } + [.body(section, peek: true)]
        let commands = uids.split(maximumEncodedLength: configuration.maximumUIDSetLength).map { Command.uidFetch($0, items, changedSince: nil) }
        var current: FetchAccumulator?
        var delivered = UIDSet()
        try await pipeline(commands, depth: configuration.fetchPipelineDepth) { event in
            guard case .fetch(let fetch) = event else {
                noteUnsolicited(event)
                return
            }
            switch fetch {
            case .start(let sequence):
                current = FetchAccumulator(sequenceNumber: sequence)
            case .attribute(let attribute):
                current?.apply(attribute)
            case .streamingBegin(_, let byteCount):
                guard var accumulator = current else { return }
                accumulator.bodyByteCount = byteCount
                accumulator.streaming = true
                current = accumulator
                try await handler(.begin(sequenceNumber: accumulator.sequenceNumber, uid: accumulator.uid, byteCount: byteCount))
            case .streamingBytes(let bytes):
                if current?.streaming == true { try await handler(.bytes(bytes)) }
            case .streamingEnd:
                current?.streaming = false
            case .finish:
                guard let done = current else { return }
                current = nil
                guard let uid = done.uid else {
                    if done.bodyByteCount != nil { throw IMAPClientError(.protocolViolation("UID FETCH returned a body without UID")) }
                    return
                }
                guard done.bodyByteCount != nil else { return }  // flag update, or NIL body
                delivered.insert(uid.rawValue...uid.rawValue)
                try await handler(.end(done.message(uid: uid)))
            }
        }
        let missing = uids.ranges.contains(where: { $0.upperBound == UInt32.max }) ? UIDSet() : uids.subtracting(delivered)
        return missing
    }
}

/// Collects the attributes of one FETCH response.
struct FetchAccumulator {
    let sequenceNumber: SequenceNumber
    var uid: UID?
    var flags: [Flag]?
    var internalDate: InternalDate?
    var rfc822Size: Int?
    var modSeq: ModSeq?
    var bodyByteCount: Int?
    var streaming = false

    init(sequenceNumber: SequenceNumber) { self.sequenceNumber = sequenceNumber }

    mutating func apply(_ attribute: FetchAttribute) {
        switch attribute {
        case .uid(let value): uid = value
        case .flags(let value): flags = value
        case .internalDate(let value): internalDate = value
        case .rfc822Size(let value): rfc822Size = value
        case .modSeq(let value): modSeq = value
        case .nilBody, .other: break
        }
    }

    func message(uid: UID) -> FetchedMessage {
        FetchedMessage(sequenceNumber: sequenceNumber, uid: uid, bodyByteCount: bodyByteCount, flags: flags,
                       internalDate: internalDate, rfc822Size: rfc822Size, modSeq: modSeq)
    }
}
