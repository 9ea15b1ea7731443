import IMAPClient
import IMAPCodec
import MailModel
import SyncEngine

extension IMAPMailboxSession {
    /// One pass: `UID FETCH 1:* (UID FLAGS INTERNALDATE BODY.PEEK[])`; the size is the
    /// body's length (what RFC822.SIZE reports), so the server is not asked to compute it.
    func readAll(into sink: any MessageBodySink) async throws -> [MessageSummary] {
        guard try openMailbox().messageCount > 0 else { return [] }
        var summaries: [MessageSummary] = []
        try await inOpenFolder {
            try await connection.fetchBodies(.all, including: [.flags, .internalDate]) { event in
                guard let message = try sink.receive(event) else { return }
                summaries.append(MessageSummary(
                    uid: message.uid, flags: Set(message.flags ?? []), internalDate: message.internalDate,
                    size: message.bodyByteCount ?? 0))
            }
        }
        return summaries.sorted { $0.uid < $1.uid }
    }
}
