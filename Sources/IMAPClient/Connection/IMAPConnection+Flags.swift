import IMAPCodec
import MailModel

extension IMAPConnection {
    /// UID and FLAGS of the messages in `uids` of the selected mailbox, nothing else: cheap
    /// on every server, where RFC822.SIZE can make a server read each message (Courier).
    /// One command per ``IMAPClientConfiguration/maximumUIDSetLength`` of UID set, pipelined;
    /// ascending UID.
    public func fetchFlags(_ uids: UIDSet) async throws -> [(uid: UID, flags: [Flag])] {
        guard !uids.isEmpty else { return [] }
        let commands = uids.split(maximumEncodedLength: configuration.maximumUIDSetLength).map {
            Command.uidFetch($0, [.uid, .flags], changedSince: nil)
        }
        var result: [(uid: UID, flags: [Flag])] = []
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
                guard let uid = done.uid, let flags = done.flags else { return }
                result.append((uid, flags))
            }
        }
        return result.sorted { $0.uid < $1.uid }
    }
}
