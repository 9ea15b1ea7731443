public import MailModel

/// Where the sync engine keeps what it knows between runs: which folder maps to which,
/// which source message became which destination message, and the journal of APPENDs in
/// flight.
///
/// It is a protocol so a fleet can later keep the same records in a shared database; the
/// engine never sees SQL. Every method is durable when it returns: a record written here
/// survives kill -9 and power loss.
public protocol SyncStateStore: Sendable {
    /// The folder pair's record, if this source folder was synced before.
    func folderPair(account: String, sourceFolder: String) async throws -> FolderPairRecord?
    /// Tie an account's records to the destination `identity` (a password-free URL or path).
    /// Records describe one destination: if they were written for another one, they are all
    /// removed (in one transaction with the new tie) and that other identity is returned, so
    /// that nothing recorded about another server counts as present on this one. Returns
    /// `nil` when the records already belonged to `identity` or to no recorded destination.
    func bindDestination(account: String, identity: String) async throws -> String?
    /// The destination an account's records belong to, if any.
    func destination(account: String) async throws -> String?
    /// Every folder pair of an account.
    func folderPairs(account: String) async throws -> [FolderPairRecord]
    /// Insert or replace a folder pair's record.
    func saveFolderPair(_ record: FolderPairRecord) async throws

    /// Every message record of a folder pair (pending, confirmed and rejected).
    func messages(account: String, sourceFolder: String) async throws -> [MessageRecord]
    /// Every message record of several folder pairs, in one read (what a re-run reads ahead).
    /// Grouped by the bytes of ``MessageRecord/sourceFolder``: two names Swift's `String`
    /// equality merges (NFC and NFD) are two folders.
    func messages(account: String, sourceFolders: [String]) async throws -> [MessageRecord]
    /// Insert or replace message records in one transaction. Used for the journal (records
    /// in state `.pending`, written *before* the APPEND is sent) and for confirmations.
    func saveMessages(_ records: [MessageRecord]) async throws
    /// Delete message records (for example after `--delete-extraneous` removed the copy).
    func deleteMessages(account: String, sourceFolder: String, keys: [MessageRecord.SourceKey]) async throws
    /// Remove some records and save others in one transaction: used when messages are
    /// re-identified by fingerprint (a UIDVALIDITY change moves a record to a new key) and
    /// when the journal is reconciled.
    func replaceMessages(
        account: String, sourceFolder: String, removing keys: [MessageRecord.SourceKey], saving records: [MessageRecord]
    ) async throws
}

extension MessageRecord {
    /// The primary key of a record within an account's folder.
    public struct SourceKey: Hashable, Sendable {
        public var uidValidity: UIDValidity
        public var uid: UID

        public init(uidValidity: UIDValidity, uid: UID) {
            self.uidValidity = uidValidity
            self.uid = uid
        }
    }

    public var sourceKey: SourceKey { SourceKey(uidValidity: sourceUIDValidity, uid: sourceUID) }
}
