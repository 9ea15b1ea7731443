import GRDB

extension SQLiteStateStore {
    /// Appends a row to `run`'s journal with the next sequence number, durably (one
    /// transaction, `synchronous = FULL`), and returns it.
    public func appendCutoverEntry(run: String, at: Double, step: String?, event: String) async throws -> CutoverJournalEntry {
        try await database.write { db in
            let last = try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM cutover_journal WHERE run = ?", arguments: [run]) ?? 0
            let entry = CutoverJournalEntry(run: run, sequence: last + 1, at: at, step: step, event: event)
            try db.execute(
                sql: "INSERT INTO cutover_journal (run, sequence, at, step, event) VALUES (?, ?, ?, ?, ?)",
                arguments: [run, entry.sequence, at, step, event])
            return entry
        }
    }

    /// `run`'s rows in order.
    public func cutoverEntries(run: String) async throws -> [CutoverJournalEntry] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM cutover_journal WHERE run = ? ORDER BY sequence", arguments: [run]).map { row in
                CutoverJournalEntry(run: row["run"], sequence: row["sequence"], at: row["at"], step: row["step"], event: row["event"])
            }
        }
    }

    /// The runs that have a journal.
    public func cutoverRuns() async throws -> [String] {
        try await database.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT run FROM cutover_journal ORDER BY run") }
    }
}
