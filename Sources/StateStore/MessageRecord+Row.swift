import GRDB
import MailModel

extension MessageRecord {
    init(row: Row) {
        let seconds: Int64? = row["internal_date"]
        let zone: Int? = row["internal_date_zone"]
        let flagText: String = row["synced_flags"]
        self.init(
            account: row["account"],
            sourceFolder: row["source_folder"],
            sourceUIDValidity: UIDValidity(UInt32(truncatingIfNeeded: row["source_uidvalidity"] as Int64)),
            sourceUID: UID(exactly: UInt32(truncatingIfNeeded: row["source_uid"] as Int64)),
            destinationFolder: row["destination_folder"],
            destinationUIDValidity: (row["destination_uidvalidity"] as Int64?).map { UIDValidity(UInt32(truncatingIfNeeded: $0)) },
            destinationUID: (row["destination_uid"] as Int64?).flatMap { UID(UInt32(truncatingIfNeeded: $0)) },
            fingerprint: MessageFingerprint(hex: row["fingerprint"])!,
            size: row["size"],
            internalDate: seconds.map { InternalDate(secondsSince1970: $0, zoneOffsetMinutes: zone ?? 0) },
            syncedFlags: Set(flagText.split(separator: " ").map { Flag(String($0)) }),
            state: State(rawValue: row["state"]) ?? .pending,
            destinationUIDNextBefore: (row["destination_uidnext_before"] as Int64?).map { UInt32(truncatingIfNeeded: $0) },
            failure: row["failure"]
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
