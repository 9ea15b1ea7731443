import MailModel

/// Where the ``CourierUIDLedger`` of each source folder is kept: one file per folder in a
/// directory of mailferry's state, named after the SHA-256 of the folder's path, in
/// `courierimapuiddb` format. Written atomically and durably (fsync) before any message
/// numbered by it is copied.
public struct CourierUIDLedgerStore: Hashable, Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The ledger file of the folder at `folderPath`.
    public func path(forFolder folderPath: String) -> String {
        let digest = MessageFingerprint.of(Array(folderPath.utf8)).hex
        return FileSystem.join(directory, String(digest.prefix(32)) + ".courierimapuiddb")
    }

    /// The ledger of the folder, `nil` if there is none yet. A damaged ledger is an error:
    /// numbering again from scratch could give a copied message's UID to another message.
    public func load(folderPath: String) throws(MaildirError) -> CourierUIDDatabase? {
        let path = path(forFolder: folderPath)
        guard let bytes = try FileSystem.readFile(path) else { return nil }
        do throws(MaildirError) {
            return try CourierUIDDatabase.parse(bytes, path: path)
        } catch {
            throw MaildirError(
                error.kind, path: path, line: error.line,
                detail: "\(error.detail); this is mailferry's record of UIDs given to \(folderPath): remove it only together "
                    + "with that folder's copy on the destination")
        }
    }

    /// Replace the ledger of the folder (creating the directory, mode 0700, if needed).
    public func save(_ ledger: CourierUIDDatabase, folderPath: String) throws(MaildirError) {
        if try FileSystem.status(directory) == nil {
            try FileSystem.makeDirectories(directory, mode: 0o700)
        }
        try AtomicFile.write(ledger.serialized(), to: path(forFolder: folderPath), ownership: .currentProcess)
    }
}
