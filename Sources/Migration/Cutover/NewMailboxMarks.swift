import Verify

/// Where every new mailbox stood just before the switch: per account and folder, the new
/// side's UIDVALIDITY and UIDNEXT, read by the final delta's verify (its own sessions, no
/// second login per account) and so before the new Postfix delivers anything locally. A message in a folder under the same UIDVALIDITY
/// with a UID at or above the mark arrived after it: that is "since the switch", decided by
/// the store's own numbering rather than by clocks (an internal date can be anything a
/// sender or a Sieve script made it). A folder without a mark, or with another UIDVALIDITY,
/// was created or rebuilt since: all of it counts. Kept in the journal with the
/// mark-new-mailboxes step's result, so a rollback after kill -9 reads the same marks.
public struct NewMailboxMarks: Hashable, Sendable, Codable {
    /// A folder's UIDVALIDITY and UIDNEXT (`Verify`'s ``FolderMark``, the one mark type).
    public typealias Folder = FolderMark

    /// Account name (as the config names it) → new-side folder name → mark.
    public var accounts: [String: [String: Folder]]

    public init(accounts: [String: [String: Folder]] = [:]) {
        self.accounts = accounts
    }

    /// The first UID of `folder` that arrived after the mark, given the folder's UIDVALIDITY
    /// now.
    public func firstNewUID(account: String, folder: String, uidValidity: UInt32) -> UInt32 {
        guard let mark = accounts[account]?[folder], mark.uidValidity == uidValidity else { return 1 }
        return max(1, mark.uidNext)
    }

    public var folderCount: Int { accounts.values.map(\.count).reduce(0, +) }
}
