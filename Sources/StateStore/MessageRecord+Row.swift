import GRDB
import MailModel

extension MessageRecord {
    /// The columns ``init(row:)`` reads, in the order it reads them by position: a run reads
    /// every record of every folder, and GRDB's lookup by name lowercases the name for each
    /// column of each row.
    static let columnsSQL = """
        account, source_folder, source_uidvalidity, source_uid, destination_folder, destination_uidvalidity,
        destination_uid, fingerprint, size, internal_date, internal_date_zone, synced_flags, state,
        destination_uidnext_before, failure
        """

    /// A row of `SELECT \(columnsSQL)`.
    init(row: Row) {
        let seconds: Int64? = row[9]
        let zone: Int? = row[10]
        let flagText: String = row[11]
        self.init(
            account: row[0],
            sourceFolder: row[1],
            sourceUIDValidity: UIDValidity(UInt32(truncatingIfNeeded: row[2] as Int64)),
            sourceUID: UID(exactly: UInt32(truncatingIfNeeded: row[3] as Int64)),
            destinationFolder: row[4],
            destinationUIDValidity: (row[5] as Int64?).map { UIDValidity(UInt32(truncatingIfNeeded: $0)) },
            destinationUID: (row[6] as Int64?).flatMap { UID(UInt32(truncatingIfNeeded: $0)) },
            fingerprint: MessageFingerprint(hex: row[7])!,
            size: row[8],
            internalDate: seconds.map { InternalDate(secondsSince1970: $0, zoneOffsetMinutes: zone ?? 0) },
            syncedFlags: Set(flagText.split(separator: " ").map { Flag(String($0)) }),
            state: State(rawValue: row[12]) ?? .pending,
            destinationUIDNextBefore: (row[13] as Int64?).map { UInt32(truncatingIfNeeded: $0) },
            failure: row[14]
        )
    }

    /// An upsert that updates the row in place, so that confirming a batch (a new state and
    /// destination UID) writes the row and leaves the fingerprint index alone. Prepared once
    /// per connection (GRDB's statement cache): it runs for every message of every batch.
    static let upsertSQL = """
        INSERT INTO message (account, source_folder, source_uidvalidity, source_uid, destination_folder,
            destination_uidvalidity, destination_uid, fingerprint, size, internal_date, internal_date_zone,
            synced_flags, state, destination_uidnext_before, failure)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (account, source_folder, source_uidvalidity, source_uid) DO UPDATE SET
            destination_folder = excluded.destination_folder, destination_uidvalidity = excluded.destination_uidvalidity,
            destination_uid = excluded.destination_uid, fingerprint = excluded.fingerprint, size = excluded.size,
            internal_date = excluded.internal_date, internal_date_zone = excluded.internal_date_zone,
            synced_flags = excluded.synced_flags, state = excluded.state,
            destination_uidnext_before = excluded.destination_uidnext_before, failure = excluded.failure
        """

    func upsert(_ db: Database) throws {
        try db.cachedStatement(sql: Self.upsertSQL).execute(
            arguments: [
                account, sourceFolder, Int64(sourceUIDValidity.rawValue), Int64(sourceUID.rawValue), destinationFolder,
                destinationUIDValidity.map { Int64($0.rawValue) }, destinationUID.map { Int64($0.rawValue) },
                fingerprint.hex, size, internalDate?.secondsSince1970, internalDate?.zoneOffsetMinutes,
                syncedFlags.map(\.stringValue).sorted().joined(separator: " "), state.rawValue,
                destinationUIDNextBefore.map { Int64($0) }, failure,
            ]
        )
    }
}
