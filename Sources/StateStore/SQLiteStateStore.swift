import Foundation
import GRDB
import MailModel

/// The default ``SyncStateStore``: one SQLite file in the state directory, written with
/// `synchronous = FULL` in WAL mode so that a committed transaction survives a crash.
///
/// Passwords and message bodies are never stored here: only names, UIDs, sizes, dates,
/// flags and fingerprints.
public final class SQLiteStateStore: SyncStateStore {
    let database: DatabaseQueue
    /// The database file's path.
    public let path: String

    /// Open (creating if needed) the store at `path`, migrating its schema to the current version.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        try database.writeWithoutTransaction { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
        try StateSchema.migrator.migrate(database)
    }

    /// Open the store `state.sqlite` inside a state directory (default `.mailferry`).
    public convenience init(directory: String) throws {
        try self.init(path: (directory as NSString).appendingPathComponent("state.sqlite"))
    }

    public func folderPair(account: String, sourceFolder: String) async throws -> FolderPairRecord? {
        try await database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM folder_pair WHERE account = ? AND source_folder = ?",
                arguments: [account, sourceFolder]
            ).map(FolderPairRecord.init(row:))
        }
    }

    public func bindDestination(account: String, identity: String) async throws -> String? {
        try await database.write { db in
            let bound = try String.fetchOne(db, sql: "SELECT destination FROM account_destination WHERE account = ?", arguments: [account])
            if bound == identity { return nil }
            try db.execute(
                sql: "INSERT OR REPLACE INTO account_destination (account, destination) VALUES (?, ?)", arguments: [account, identity])
            // Records from before destinations were recorded are kept: each folder's
            // UIDVALIDITY and UID list still tie them to what is really there.
            guard let bound else { return nil }
            try db.execute(sql: "DELETE FROM message WHERE account = ?", arguments: [account])
            try db.execute(sql: "DELETE FROM folder_pair WHERE account = ?", arguments: [account])
            return bound
        }
    }

    public func destination(account: String) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT destination FROM account_destination WHERE account = ?", arguments: [account])
        }
    }

    public func folderPairs(account: String) async throws -> [FolderPairRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM folder_pair WHERE account = ? ORDER BY source_folder", arguments: [account])
                .map(FolderPairRecord.init(row:))
        }
    }

    public func saveFolderPair(_ record: FolderPairRecord) async throws {
        try await database.write { db in try record.upsert(db) }
    }

    public func messages(account: String, sourceFolder: String) async throws -> [MessageRecord] {
        try await messages(account: account, sourceFolders: [sourceFolder])
    }

    public func messages(account: String, sourceFolders: [String]) async throws -> [MessageRecord] {
        guard !sourceFolders.isEmpty else { return [] }
        return try await database.read { db in
            var records: [MessageRecord] = []
            // In slices, far below SQLite's limit on bound parameters. A statement is prepared
            // once per slice size (GRDB's cache): a run reads one folder at a time, over and over.
            for start in stride(from: 0, to: sourceFolders.count, by: 500) {
                let folders = sourceFolders[start..<min(start + 500, sourceFolders.count)]
                let marks = Array(repeating: "?", count: folders.count).joined(separator: ", ")
                let statement = try db.cachedStatement(
                    sql: "SELECT \(MessageRecord.columnsSQL) FROM message WHERE account = ? AND source_folder IN (\(marks)) "
                        + "ORDER BY source_folder, source_uidvalidity, source_uid")
                // Decoded straight from the cursor: no intermediate row kept per record.
                let rows = try Row.fetchCursor(statement, arguments: StatementArguments([account] + Array(folders)))
                while let row = try rows.next() { records.append(MessageRecord(row: row)) }
            }
            return records
        }
    }

    public func saveMessages(_ records: [MessageRecord]) async throws {
        guard !records.isEmpty else { return }
        try await database.write { db in
            for record in records { try record.upsert(db) }
        }
    }

    public func deleteMessages(account: String, sourceFolder: String, keys: [MessageRecord.SourceKey]) async throws {
        guard !keys.isEmpty else { return }
        try await database.write { db in
            for key in keys { try Self.delete(db, account: account, sourceFolder: sourceFolder, key: key) }
        }
    }

    public func replaceMessages(
        account: String, sourceFolder: String, removing keys: [MessageRecord.SourceKey], saving records: [MessageRecord]
    ) async throws {
        guard !keys.isEmpty || !records.isEmpty else { return }
        try await database.write { db in
            for key in keys { try Self.delete(db, account: account, sourceFolder: sourceFolder, key: key) }
            for record in records { try record.upsert(db) }
        }
    }

    private static func delete(_ db: Database, account: String, sourceFolder: String, key: MessageRecord.SourceKey) throws {
        try db.cachedStatement(sql: "DELETE FROM message WHERE account = ? AND source_folder = ? AND source_uidvalidity = ? AND source_uid = ?")
            .execute(arguments: [account, sourceFolder, Int64(key.uidValidity.rawValue), Int64(key.uid.rawValue)])
    }
}
