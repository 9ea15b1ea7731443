import MailModel

/// The UIDs of a Courier folder's messages: those recorded in `courierimapuiddb`, plus
/// the ones Courier would assign at its next scan, computed with Courier's own rules
/// (`imapscanclient.c`, steps 1–6):
///
/// - a file in `cur/` keeps the UID of the record with the same base name;
/// - records whose file is gone are dropped; their UIDs are never reused;
/// - files without a record (in `cur/`, and in `new/` which Courier moves to `cur/`) get
///   `nextuid`, `nextuid + 1`, … in Courier's file name order (delivery time first).
///
/// Where Courier's own behaviour would corrupt the UID space, this deviates on purpose and
/// says so in a diagnostic: `nextuid` is raised above the highest recorded UID, a UID
/// claimed by two records is kept only by the first, a base listed twice keeps its first
/// (lowest-line) UID, and when two files share one base, only one keeps the UID (the one in
/// `cur/`, then the most recently changed) and the others are flagged as duplicates that
/// need a fresh base name in any copy.
struct CourierUIDAssignment: Sendable {
    struct Message: Sendable {
        let entry: MaildirFileEntry
        let uid: UID?
        let origin: UIDOrigin?
        /// Another file with the same base keeps the base's identity; this one must be
        /// written under a new base name.
        let isDuplicateBase: Bool
    }

    /// Sorted by UID; messages without a UID (new/ when not assigned) follow in Courier order.
    let messages: [Message]
    /// What Courier's header would say after the scan.
    let nextUID: UID
    let diagnostics: [MaildirDiagnostic]

    /// - Parameters:
    ///   - provisionalBases: bases whose record is mailferry's own (a ledger of UIDs given
    ///     before Courier numbered the file): those records match a file in `new/` too.
    ///   - settledBefore: when given, only unnumbered files whose delivery time (Courier's
    ///     leading number) is before it are numbered; the first one that is not, and every
    ///     one after it in Courier's order, stays without a UID. Courier sorts files of one
    ///     second by the rest of the name (for Postfix: device and inode before the
    ///     microseconds), so a file still arriving in that second may sort before one
    ///     numbered now, and Courier would then give the two UIDs the other way round.
    static func assign(
        database: CourierUIDDatabase?, entries: [MaildirFileEntry], assignNew: Bool, path: String,
        provisionalBases: Set<String> = [], settledBefore: Int64? = nil
    ) throws(MaildirError) -> CourierUIDAssignment {
        var diagnostics: [MaildirDiagnostic] = []
        let dbPath = FileSystem.join(path, CourierUIDDatabase.fileName)

        // Step 1: the records, first one wins for a base and for a UID.
        var recordByBase: [String: CourierUIDDatabase.Record] = [:]
        var usedUIDs: [UID: CourierUIDDatabase.Record] = [:]
        for record in database?.records ?? [] {
            if let first = recordByBase[record.base] {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .duplicateFileName, path: dbPath, line: record.line, messageBase: record.base,
                    "listed again with UID \(record.uid) (first at line \(first.line) with UID \(first.uid)); the first UID is kept"))
                continue
            }
            if let first = usedUIDs[record.uid] {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .duplicateUID, path: dbPath, line: record.line, messageBase: record.base,
                    "UID \(record.uid) is already used by line \(first.line); this file gets a new UID"))
                continue
            }
            recordByBase[record.base] = record
            usedUIDs[record.uid] = record
        }

        // Step 2: one keeper per base: cur/ before new/, then the newest change time.
        var groups: [String: [MaildirFileEntry]] = [:]
        for entry in entries { groups[entry.base, default: []].append(entry) }
        var keeperNames: Set<String> = []
        for (base, group) in groups {
            let sorted = group.sorted { a, b in
                if a.location != b.location { return a.location == .cur }
                if a.changeTime != b.changeTime { return a.changeTime > b.changeTime }
                return a.name < b.name
            }
            keeperNames.insert(sorted[0].relativePath)
            for duplicate in sorted.dropFirst() {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .duplicateMessageBase, path: FileSystem.join(path, duplicate.relativePath), messageBase: base,
                    "another file (\(sorted[0].relativePath)) has the same base name; this copy is kept as a separate message under a new name"))
            }
        }

        var found: [Message] = []
        var unnumbered: [(entry: MaildirFileEntry, duplicate: Bool)] = []
        var matchedBases: Set<String> = []
        for entry in entries {
            let isKeeper = keeperNames.contains(entry.relativePath)
            if isKeeper, entry.location == .cur || provisionalBases.contains(entry.base), let record = recordByBase[entry.base] {
                let origin: UIDOrigin = provisionalBases.contains(entry.base) ? .assigned : .database
                found.append(Message(entry: entry, uid: record.uid, origin: origin, isDuplicateBase: false))
                matchedBases.insert(entry.base)
            } else {
                unnumbered.append((entry, !isKeeper))
            }
        }

        // Step 3: records whose file is gone.
        for record in database?.records ?? []
        where recordByBase[record.base] == record && !matchedBases.contains(record.base) && !provisionalBases.contains(record.base) {
            diagnostics.append(MaildirDiagnostic(
                .info, .staleDatabaseEntry, path: dbPath, line: record.line, messageBase: record.base,
                "no such file in cur/ (expunged); UID \(record.uid) is dropped and never reused"))
        }

        // Steps 5–6: number the rest in Courier's order, above every recorded UID.
        let highestRecorded = usedUIDs.keys.max()?.rawValue ?? 0
        var next = UInt64(database?.nextUID ?? 1)
        if next <= UInt64(highestRecorded) {
            diagnostics.append(MaildirDiagnostic(
                .warning, .nextUIDRaised, path: dbPath, line: 1,
                "next UID \(next) is not above the highest recorded UID \(highestRecorded); using \(UInt64(highestRecorded) + 1)"))
            next = UInt64(highestRecorded) + 1
        }
        next = max(next, 1)
        unnumbered.sort { a, b in
            let order = CourierFilenameOrder.imapCompare(a.entry.name, b.entry.name)
            return order != 0 ? order < 0 : a.entry.relativePath < b.entry.relativePath
        }
        var assigned: [Message] = []
        var pending: [Message] = []
        var unsettled = false
        for (entry, duplicate) in unnumbered {
            if let settledBefore, unsettled || CourierFilenameOrder.deliveryTime(entry.name) >= settledBefore {
                unsettled = true
                pending.append(Message(entry: entry, uid: nil, origin: nil, isDuplicateBase: duplicate))
                continue
            }
            if entry.location == .new && !assignNew {
                pending.append(Message(entry: entry, uid: nil, origin: nil, isDuplicateBase: duplicate))
                continue
            }
            guard next < UInt64(UInt32.max), let uid = UID(UInt32(next)) else {
                throw MaildirError(.malformed, path: dbPath, detail: "UIDs exhausted: next UID would exceed 4294967294")
            }
            assigned.append(Message(entry: entry, uid: uid, origin: .assigned, isDuplicateBase: duplicate))
            next += 1
        }
        if unsettled {
            diagnostics.append(MaildirDiagnostic(
                .info, .uidDeferred, path: path,
                "\(pending.count) message(s) delivered in the last seconds are left for a later run: Courier has not numbered them "
                    + "yet and mail still arriving in the same second could be numbered before them"))
        }
        found.sort { $0.uid! < $1.uid! }
        return CourierUIDAssignment(
            messages: found + assigned + pending, nextUID: UID(exactly: UInt32(next)), diagnostics: diagnostics)
    }
}
