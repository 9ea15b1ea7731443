public import MailModel

/// A Courier folder as Courier would present it over IMAP (and POP3, for INBOX) at this
/// moment: UIDVALIDITY, next UID, and every message with its UID, flags, keywords, size,
/// date and POP3 UIDL.
public struct CourierFolderSnapshot: Sendable {
    /// What was found in `courierimapuiddb`.
    public enum UIDDatabaseState: Hashable, Sendable {
        case valid
        /// No file: the folder was never opened read-write over IMAP.
        case missing
        /// A file Courier would discard and rebuild (with a new UIDVALIDITY).
        case unusable(MaildirError)
    }

    public let folder: CourierFolderEntry
    public let uidDatabase: UIDDatabaseState
    /// The folder's UIDVALIDITY; `nil` unless the database is valid.
    public let uidValidity: UIDValidity?
    /// The next UID after the messages below (Courier's header after its next scan).
    public let nextUID: UID
    /// Sorted by UID; messages without UID last.
    public let messages: [CourierMessage]
    public let diagnostics: [MaildirDiagnostic]
    /// The POP3 size list the UIDLs came from (INBOX only).
    public let pop3SizeList: CourierPOP3SizeList?
    /// When read with a ``CourierUIDLedger``: the ledger to keep for the next read (the UIDs
    /// given here that Courier has not recorded). `nil` otherwise.
    public var ledger: CourierUIDDatabase? = nil

    /// Combine what was read from disk. Pure: no I/O.
    static func assemble(
        folder: CourierFolderEntry, database: Result<CourierUIDDatabase, MaildirError>?, entries: [MaildirFileEntry],
        keywordList: CourierKeywordList?, keywordUpdates: [String: CourierKeywordResolver.Update],
        pop3: CourierPOP3SizeList?, assignUIDsToNew: Bool, extraDiagnostics: [MaildirDiagnostic] = [],
        ledger: (previous: CourierUIDDatabase?, fallbackValidity: UIDValidity)? = nil, settledBefore: Int64? = nil
    ) throws(MaildirError) -> CourierFolderSnapshot {
        var diagnostics = extraDiagnostics
        let state: UIDDatabaseState
        var valid: CourierUIDDatabase?
        switch database {
        case .none:
            state = .missing
        case .success(let parsed):
            state = .valid
            valid = parsed
            diagnostics += parsed.diagnostics
        case .failure(let error):
            state = .unusable(error)
            diagnostics.append(MaildirDiagnostic(
                .error, .uidDatabaseUnusable, path: error.path, line: error.line,
                "\(error.detail): Courier would discard it and give the folder a new UIDVALIDITY"))
        }
        var basis: CourierUIDLedger.Basis?
        if let ledger {
            basis = try CourierUIDLedger.basis(
                courier: valid, ledger: ledger.previous, bases: Set(entries.map(\.base)), fallbackValidity: ledger.fallbackValidity,
                path: FileSystem.join(folder.path, CourierUIDDatabase.fileName))
            if let superseded = basis!.supersededValidity {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .uidValidityChanged, path: folder.path,
                    "Courier has numbered this folder itself since the last run: its UIDVALIDITY \(basis!.database.uidValidity) "
                        + "replaces the one mailferry gave it (\(superseded)); a destination folder written with the old one is "
                        + "refused until a run with --overwrite-uidvalidity"))
            }
            if basis!.withoutCourierDatabase {
                diagnostics.append(MaildirDiagnostic(
                    .info, .uidAssigned, path: folder.path,
                    "no usable courierimapuiddb (no IMAP client has opened this folder): messages numbered as Courier would "
                        + "number them, under UIDVALIDITY \(basis!.database.uidValidity) kept in mailferry's state"))
            }
        }
        let assignment = try CourierUIDAssignment.assign(
            database: basis?.database ?? valid, entries: entries, assignNew: assignUIDsToNew || basis != nil, path: folder.path,
            provisionalBases: basis?.provisionalBases ?? [], settledBefore: basis == nil ? nil : settledBefore)
        diagnostics += assignment.diagnostics

        let keywordDirectory = FileSystem.join(folder.path, CourierFolderReader.keywordDirectoryName)
        let resolver = CourierKeywordResolver(
            list: keywordList, updates: keywordUpdates, bases: Set(entries.map(\.base)), directory: keywordDirectory)
        diagnostics += resolver.diagnostics
        if let pop3 { diagnostics += pop3.diagnostics }
        let pop3ByKey = pop3?.recordsByMatchKey() ?? [:]

        var messages: [CourierMessage] = []
        for assigned in assignment.messages {
            let entry = assigned.entry
            var pop3Info: CourierMessage.POP3?
            if entry.location == .cur, let record = pop3ByKey[CourierFilenameOrder.pop3Key(entry.name)] {
                pop3Info = CourierMessage.POP3(uidl: record.uidl, order: record.order)
            }
            if entry.location == .cur, entry.fileName.flags.letters.contains(where: MaildirFlagLetters.isKeywordLetter) {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .lowercaseFlagsDropped, path: FileSystem.join(folder.path, entry.relativePath), messageBase: entry.base,
                    "lowercase letters in the flags mean nothing to Courier and would be read as keywords by Dovecot; not copied"))
            }
            if let recorded = entry.fileName.sizeField, recorded != entry.size {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .sizeMismatch, path: FileSystem.join(folder.path, entry.relativePath), messageBase: entry.base,
                    "the name says S=\(recorded) but the file has \(entry.size) bytes"))
            }
            messages.append(CourierMessage(
                uid: assigned.uid, uidOrigin: assigned.origin, file: entry,
                path: FileSystem.join(folder.path, entry.relativePath),
                flags: entry.location == .cur ? CourierMessage.courierFlags(of: entry.name) : [],
                keywords: resolver.keywordsByBase[entry.base] ?? [], pop3: pop3Info, isDuplicateBase: assigned.isDuplicateBase))
        }
        var snapshot = CourierFolderSnapshot(
            folder: folder, uidDatabase: state, uidValidity: basis?.database.uidValidity ?? valid?.uidValidity,
            nextUID: assignment.nextUID, messages: messages, diagnostics: diagnostics, pop3SizeList: pop3)
        if let basis {
            let numbered = assignment.messages.compactMap { message in message.uid.map { ($0, message.entry.base) } }
            snapshot.ledger = CourierUIDLedger.updated(
                courier: valid, previous: ledger?.previous, basis: basis, numbered: numbered, nextUID: assignment.nextUID)
        }
        return snapshot
    }
}
