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
        return migrator
    }
}
