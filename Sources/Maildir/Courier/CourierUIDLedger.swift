import MailModel

/// mailferry's own record of the UIDs it gave to messages Courier has not numbered yet: a
/// file in `new/`, a file in `cur/` missing from `courierimapuiddb`, or every message of a
/// folder that has no usable `courierimapuiddb` at all. It is kept in the sync state
/// directory (never in the source Maildir) in Courier's own format, version 1.
///
/// Courier numbers such messages at its next scan with `nextuid`, `nextuid + 1`, … in its
/// file name order; mailferry gives them the same UIDs ahead of time so that they can be
/// copied now. The ledger keeps that numbering stable across runs (a file deleted meanwhile
/// does not shift the others) and lets a later run check that Courier, if it scanned the
/// folder meanwhile, confirmed every provisional UID. When it did not (typically: a POP3
/// client deleted a message before any IMAP client opened the folder, so Courier gave its
/// UID to the next message), the folder is refused with ``MaildirError/Kind/conflict``
/// rather than letting one message's copy stand for another.
///
/// A folder without a usable `courierimapuiddb` has never been opened by an IMAP client,
/// so no client holds its UIDs: it gets the UIDVALIDITY of Courier's POP3 list (INBOX of a
/// POP3 user, as `courier-dovecot-migrate.pl` does) or `now − 10⁹` (Courier's own formula),
/// recorded in the ledger. If Courier later creates its database (an IMAP client opened the
/// folder on the old server), Courier's UIDVALIDITY wins from then on.
public enum CourierUIDLedger {
    /// The UID database to number the folder with, and the bases whose record is provisional.
    struct Basis {
        var database: CourierUIDDatabase
        var provisionalBases: Set<String>
        /// True when the folder has no usable database of Courier's own.
        var withoutCourierDatabase: Bool
        /// The UIDVALIDITY of a ledger that Courier's own database has replaced since.
        var supersededValidity: UIDValidity? = nil
    }

    /// Combine Courier's database (if valid) with the ledger of an earlier run.
    /// - Parameters:
    ///   - bases: the base names of every file in `cur/` and `new/` now.
    ///   - fallbackValidity: the UIDVALIDITY of a folder that has neither.
    static func basis(
        courier: CourierUIDDatabase?, ledger: CourierUIDDatabase?, bases: Set<String>, fallbackValidity: UIDValidity, path: String
    ) throws(MaildirError) -> Basis {
        guard let courier else {
            let database = ledger ?? CourierUIDDatabase(uidValidity: fallbackValidity, nextUID: 1, records: [])
            return Basis(database: database, provisionalBases: Set(database.records.map(\.base)), withoutCourierDatabase: true)
        }
        guard let ledger, ledger.uidValidity == courier.uidValidity else {
            return Basis(database: courier, provisionalBases: [], withoutCourierDatabase: false, supersededValidity: ledger?.uidValidity)
        }
        var uidOfBase: [String: UID] = [:]
        var baseOfUID: [UID: String] = [:]
        for record in courier.records {
            if uidOfBase[record.base] == nil { uidOfBase[record.base] = record.uid }
            if baseOfUID[record.uid] == nil { baseOfUID[record.uid] = record.base }
        }
        var records = courier.records
        var provisional: Set<String> = []
        for record in ledger.records {
            if let confirmed = uidOfBase[record.base] {
                guard confirmed == record.uid else {
                    throw diverged(path, "Courier gave \(record.base) UID \(confirmed), mailferry had given it UID \(record.uid)")
                }
                continue
            }
            if let other = baseOfUID[record.uid] {
                throw diverged(path, "Courier gave UID \(record.uid) to \(other), mailferry had given it to \(record.base)")
            }
            if record.uid.rawValue < courier.nextUID {
                // Courier numbered past this UID without the file: fine if the file is gone.
                guard !bases.contains(record.base) else {
                    throw diverged(path, "Courier numbered past UID \(record.uid) without \(record.base), which mailferry gave that UID")
                }
                continue
            }
            records.append(record)
            provisional.insert(record.base)
        }
        let database = CourierUIDDatabase(
            uidValidity: courier.uidValidity, nextUID: max(courier.nextUID, ledger.nextUID), records: records,
            diagnostics: courier.diagnostics)
        return Basis(database: database, provisionalBases: provisional, withoutCourierDatabase: false)
    }

    /// The ledger to keep after numbering: every UID not in Courier's database, plus, while
    /// Courier's database exists, the provisional UIDs of files deleted since, until Courier's
    /// next UID passes them (so that Courier giving one to another file is noticed).
    static func updated(
        courier: CourierUIDDatabase?, previous: CourierUIDDatabase?, basis: Basis, numbered: [(uid: UID, base: String)], nextUID: UID
    ) -> CourierUIDDatabase {
        let confirmed = Set(courier?.records.map(\.base) ?? [])
        var records: [CourierUIDDatabase.Record] = []
        var seen: Set<String> = []
        for (uid, base) in numbered where !confirmed.contains(base) {
            records.append(.init(uid: uid, base: base, line: 0))
            seen.insert(base)
        }
        if let courier, let previous, previous.uidValidity == courier.uidValidity {
            for record in previous.records where !seen.contains(record.base) && !confirmed.contains(record.base)
                && record.uid.rawValue >= courier.nextUID
            {
                records.append(.init(uid: record.uid, base: record.base, line: 0))
            }
        }
        records.sort { $0.uid < $1.uid }
        return CourierUIDDatabase(uidValidity: basis.database.uidValidity, nextUID: nextUID.rawValue, records: records)
    }

    private static func diverged(_ path: String, _ what: String) -> MaildirError {
        MaildirError(
            .conflict, path: path,
            detail: "\(what): Courier numbered this folder differently from mailferry's provisional UIDs (a message was "
                + "deleted, e.g. by POP3, before Courier numbered it), so the destination holds copies under UIDs Courier "
                + "did not confirm. Run the final pass with Courier stopped; to repair, remove the destination folder and "
                + "sync it again with a fresh state directory")
    }
}
