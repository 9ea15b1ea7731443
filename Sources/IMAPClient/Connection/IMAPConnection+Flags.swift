import IMAPCodec
import MailModel

extension IMAPConnection {
    /// UID and FLAGS of the messages in `uids` of the selected mailbox, nothing else: cheap
    /// on every server, where RFC822.SIZE can make a server read each message (Courier).
    /// One command per ``IMAPClientConfiguration/maximumUIDSetLength`` of UID set, pipelined;
    /// ascending UID.
    public func fetchFlags(_ uids: UIDSet) async throws -> [(uid: UID, flags: [Flag])] {
        guard !uids.isEmpty else { return [] }
        var result: [(uid: UID, flags: [Flag])] = []
        try await fetchAttributes(uids, [.uid, .flags]) { done in
            guard let uid = done.uid, let flags = done.flags else { return }
            result.append((uid, flags))
        }
        return result.sorted { $0.uid < $1.uid }
    }
}
