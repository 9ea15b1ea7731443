public import MailModel

extension MailboxReader {
    /// Streams every message of the open folder into `sink` and returns their summaries
    /// (flags, date; the size is the streamed body's). By default the summaries first, then
    /// the bodies; a store that can answer both at once (IMAP: one `UID FETCH 1:*` with FLAGS,
    /// INTERNALDATE and the body) reads the folder in one pass.
    public func readAll(into sink: any MessageBodySink) async throws -> [MessageSummary] {
        let summaries = try await summaries(from: nil, changedSince: nil)
        try await fetchBodies(summaries.map(\.uid), into: sink)
        return summaries
    }
}
