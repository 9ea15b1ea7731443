public import MailModel

/// Writing one account's folders: the destination side of a sync.
public protocol MailboxWriter: MailboxReader {
    /// Create a folder (and any missing parents). `uidValidity` is honoured by stores that
    /// preserve source UIDs and ignored by the others.
    func create(_ folder: MailboxName, uidValidity: UIDValidity?) async throws
    /// Before a folder is synced, stores that preserve source UIDs take the source folder's
    /// UIDVALIDITY and next UID here, and refuse (``StoreError/Kind/folder``) a folder that
    /// already has another UIDVALIDITY. Other stores ignore it (the default). What the store
    /// did beyond taking the identity comes back for the folder's report.
    @discardableResult
    func adoptIdentity(of source: FolderStatus, for folder: MailboxName) async throws -> IdentityAdoption
    /// Subscribe to a folder.
    func subscribe(_ folder: MailboxName) async throws
    /// The folders the account is subscribed to.
    func subscriptions() async throws -> Set<MailboxName>
    /// Append messages to `folder`, in order; one outcome per message. A refusal of one
    /// message (quota, size, flag) is an outcome, not a thrown error; a thrown error means the
    /// session failed and the outcome of the messages is unknown (the journal resolves it).
    func append(_ messages: [OutgoingMessage], to folder: MailboxName) async throws -> [AppendOutcome]
    /// Add and remove flags on messages of the open folder.
    func storeFlags(_ uids: [UID], adding: Set<Flag>, removing: Set<Flag>) async throws
    /// Permanently remove messages of the open folder by UID, and only those.
    func expunge(_ uids: [UID]) async throws
}

extension MailboxWriter {
    @discardableResult
    public func adoptIdentity(of source: FolderStatus, for folder: MailboxName) async throws -> IdentityAdoption { IdentityAdoption() }
}
