import GRDB

/// The state database's schema, as a list of numbered migrations. A migration is never
/// edited once released: add a new one.
enum StateSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE folder_pair (
                        account TEXT NOT NULL,
                        source_folder TEXT NOT NULL,
                        destination_folder TEXT NOT NULL,
                        source_uidvalidity INTEGER NOT NULL,
                        destination_uidvalidity INTEGER,
                        source_uidnext INTEGER NOT NULL,
                        source_highestmodseq INTEGER,
                        source_message_count INTEGER NOT NULL,
                        last_synced_at INTEGER NOT NULL,
                        PRIMARY KEY (account, source_folder)
                    );
                    CREATE TABLE message (
                        account TEXT NOT NULL,
                        source_folder TEXT NOT NULL,
                        source_uidvalidity INTEGER NOT NULL,
                        source_uid INTEGER NOT NULL,
                        destination_folder TEXT NOT NULL,
                        destination_uidvalidity INTEGER,
                        destination_uid INTEGER,
                        fingerprint TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        internal_date INTEGER,
                        internal_date_zone INTEGER,
                        synced_flags TEXT NOT NULL,
                        state TEXT NOT NULL,
                        destination_uidnext_before INTEGER,
                        failure TEXT,
                        PRIMARY KEY (account, source_folder, source_uidvalidity, source_uid)
                    );
                    CREATE INDEX message_fingerprint ON message (account, fingerprint);
                    """
            )
        }
        // v2 ties the records to the destination they describe: an account's records are
        // valid for one destination only (its identity), and a folder pair remembers the
        // destination folder's UIDNEXT and count after the last run, so a re-run can tell in
        // one SELECT whether anything was added or removed there since.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE folder_pair ADD COLUMN destination_uidnext INTEGER;
                    ALTER TABLE folder_pair ADD COLUMN destination_message_count INTEGER;
                    CREATE TABLE account_destination (
                        account TEXT NOT NULL PRIMARY KEY,
                        destination TEXT NOT NULL
                    );
                    """
            )
        }
        // v3: the cutover's journal (`mailferry cutover`), one row per step event, appended
        // only; `sequence` orders a run's rows.
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cutover_journal (
                        run TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        at REAL NOT NULL,
                        step TEXT,
                        event TEXT NOT NULL,
                        PRIMARY KEY (run, sequence)
                    );
                    """
            )
        }
        return migrator
    }
}
