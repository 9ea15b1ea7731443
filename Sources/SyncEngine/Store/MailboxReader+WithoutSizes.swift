public import MailModel

extension MailboxReader {
    /// Summaries of every message of the open folder, where a store may leave every size 0:
    /// for the first copy of a folder into an empty one, which needs no size before the
    /// bodies arrive with theirs. Cheaper where the server reads each whole message to tell
    /// its size (Courier does for RFC822.SIZE: 0.46 of its 1.5 CPU seconds when the
    /// benchmark account is copied). By default, ``summaries(from:changedSince:)`` of all.
    public func summariesWithoutSizes() async throws -> [MessageSummary] {
        try await summaries(from: nil, changedSince: nil)
    }
}
