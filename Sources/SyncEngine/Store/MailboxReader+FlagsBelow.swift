public import MailModel

extension MailboxReader {
    /// Summaries of every message of the open folder, where those with a UID below `below`
    /// (messages an earlier run already copied) need only their UID and flags: a store may
    /// leave their size 0 and their date `nil`, which is cheaper where the server computes
    /// sizes by reading each message (Courier does for RFC822.SIZE). Messages from `below` on
    /// come with everything. By default, ``summaries(from:changedSince:)`` of all.
    public func summaries(flagsOnlyBelow below: UID) async throws -> [MessageSummary] {
        try await summaries(from: nil, changedSince: nil)
    }
}
