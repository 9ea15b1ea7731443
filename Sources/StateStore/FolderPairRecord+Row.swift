import GRDB
import MailModel

extension FolderPairRecord {
    init(row: Row) {
        self.init(
            account: row["account"],
            sourceFolder: row["source_folder"],
            destinationFolder: row["destination_folder"],
            sourceUIDValidity: UIDValidity(UInt32(truncatingIfNeeded: row["source_uidvalidity"] as Int64)),
            destinationUIDValidity: (row["destination_uidvalidity"] as Int64?).map { UIDValidity(UInt32(truncatingIfNeeded: $0)) },
            sourceUIDNext: UInt32(truncatingIfNeeded: row["source_uidnext"] as Int64),
            sourceHighestModSeq: (row["source_highestmodseq"] as Int64?).map { ModSeq(UInt64($0)) },
            sourceMessageCount: row["source_message_count"],
            lastSyncedAt: row["last_synced_at"],
            destinationUIDNext: (row["destination_uidnext"] as Int64?).map { UInt32(truncatingIfNeeded: $0) },
            destinationMessageCount: row["destination_message_count"]
        )
    }

    func upsert(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO folder_pair (account, source_folder, destination_folder, source_uidvalidity,
                    destination_uidvalidity, source_uidnext, source_highestmodseq, source_message_count, last_synced_at,
                    destination_uidnext, destination_message_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                account, sourceFolder, destinationFolder, Int64(sourceUIDValidity.rawValue),
                destinationUIDValidity.map { Int64($0.rawValue) }, Int64(sourceUIDNext),
                sourceHighestModSeq.map { Int64(clamping: $0.rawValue) }, sourceMessageCount, lastSyncedAt,
                destinationUIDNext.map { Int64($0) }, destinationMessageCount,
            ]
        )
    }
}
