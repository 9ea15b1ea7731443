import MailModel

/// Reads one Courier folder from disk into a ``CourierFolderSnapshot``. Reads only; never
/// writes to the source (not even the caches Courier itself would update).
enum CourierFolderReader {
    static let keywordDirectoryName = "courierimapkeywords"
    /// How often to re-read the keyword directory when an update file vanishes between
    /// listing and reading (Courier ages them while it runs).
    static let keywordRetries = 5

    static func read(
        folder: CourierFolderEntry, pop3: CourierPOP3SizeList?, options: CourierMaildir.Options,
        extraDiagnostics: [MaildirDiagnostic] = [], ledger: (previous: CourierUIDDatabase?, fallbackValidity: UIDValidity)? = nil,
        settledBefore: Int64? = nil
    ) throws(MaildirError) -> CourierFolderSnapshot {
        let scan = try MessageDirectoryScanner.scan(folder: folder.path)
        let dbPath = FileSystem.join(folder.path, CourierUIDDatabase.fileName)
        var database: Result<CourierUIDDatabase, MaildirError>?
        if let bytes = try FileSystem.readFile(dbPath) {
            do {
                database = .success(try CourierUIDDatabase.parse(bytes, path: dbPath))
            } catch {
                database = .failure(error)
            }
        }
        var list: CourierKeywordList?
        var updates: [String: CourierKeywordResolver.Update] = [:]
        if options.readKeywords {
            (list, updates) = try readKeywords(folder: folder.path, entries: scan.entries)
        }
        return try CourierFolderSnapshot.assemble(
            folder: folder, database: database, entries: scan.entries, keywordList: list, keywordUpdates: updates,
            pop3: pop3, assignUIDsToNew: options.assignUIDsToNewMessages, extraDiagnostics: extraDiagnostics + scan.diagnostics,
            ledger: ledger, settledBefore: settledBefore)
    }

    static func readKeywords(
        folder: String, entries: [MaildirFileEntry]
    ) throws(MaildirError) -> (CourierKeywordList?, [String: CourierKeywordResolver.Update]) {
        let directory = FileSystem.join(folder, keywordDirectoryName)
        var namesByBase: [String: [String]] = [:]
        for entry in entries { namesByBase[entry.base, default: []].append(entry.name) }
        var attempt = 0
        while true {
            attempt += 1
            guard let listing = try FileSystem.entries(of: directory) else { return (nil, [:]) }
            let listPath = FileSystem.join(directory, CourierKeywordList.fileName)
            let list = try FileSystem.readFile(listPath).map { CourierKeywordList.parse($0, path: listPath) }
            let chosen = CourierKeywordFileName.chooseUpdates(names: listing.names, messages: namesByBase)
            var updates: [String: CourierKeywordResolver.Update] = [:]
            var vanished = false
            for (base, name) in chosen {
                guard let content = try FileSystem.readFile(FileSystem.join(directory, name)) else {
                    vanished = true
                    break
                }
                updates[base] = CourierKeywordResolver.Update(fileName: name, content: content)
            }
            if !vanished { return (list, updates) }
            guard attempt < keywordRetries else {
                throw MaildirError(.conflict, path: directory, detail: "keyword files keep changing while being read; is Courier still running?")
            }
        }
    }
}
