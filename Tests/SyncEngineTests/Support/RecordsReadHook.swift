import MailModel
import StateStore
import SyncEngine

/// A state store that calls `beforeRead` with the folder's name before it reads a folder's
/// message records, and `afterReadingSeveral` after it read several folders' at once, so a
/// test can see when, and how often, the engine reads them.
struct RecordsReadHook: SyncStateStore {
    let base: SQLiteStateStore
    /// Awaited before the records of a folder are read on their own.
    let beforeRead: @Sendable (String) async -> Void
    /// Awaited after several folders' records were read at once (the read ahead).
    var afterReadingSeveral: @Sendable ([String]) async -> Void = { _ in }

    func messages(account: String, sourceFolder: String) async throws -> [MessageRecord] {
        await beforeRead(sourceFolder)
        return try await base.messages(account: account, sourceFolder: sourceFolder)
    }

    func messages(account: String, sourceFolders: [String]) async throws -> [MessageRecord] {
        let records = try await base.messages(account: account, sourceFolders: sourceFolders)
        await afterReadingSeveral(sourceFolders)
        return records
    }

    func folderPair(account: String, sourceFolder: String) async throws -> FolderPairRecord? {
        try await base.folderPair(account: account, sourceFolder: sourceFolder)
    }
    func bindDestination(account: String, identity: String) async throws -> String? {
        try await base.bindDestination(account: account, identity: identity)
    }
    func destination(account: String) async throws -> String? { try await base.destination(account: account) }
    func folderPairs(account: String) async throws -> [FolderPairRecord] { try await base.folderPairs(account: account) }
    func saveFolderPair(_ record: FolderPairRecord) async throws { try await base.saveFolderPair(record) }
    func saveMessages(_ records: [MessageRecord]) async throws { try await base.saveMessages(records) }
    func deleteMessages(account: String, sourceFolder: String, keys: [MessageRecord.SourceKey]) async throws {
        try await base.deleteMessages(account: account, sourceFolder: sourceFolder, keys: keys)
    }
    func replaceMessages(
        account: String, sourceFolder: String, removing keys: [MessageRecord.SourceKey], saving records: [MessageRecord]
    ) async throws {
        try await base.replaceMessages(account: account, sourceFolder: sourceFolder, removing: keys, saving: records)
    }
}
