import MailModel

/// A Courier Maildir++ tree on disk, read as Courier-IMAP and Courier's POP3 server would
/// present it: folders, UIDs, flags, keywords, subscriptions and POP3 UIDLs.
///
/// Read-only: nothing under `root` is ever written, so it is safe to point at a live
/// server (run the final pass with Courier stopped, so that no UID is assigned after the
/// snapshot).
public struct CourierMaildir: Sendable {
    public struct Options: Hashable, Sendable {
        /// How folder names on disk are encoded.
        public var folderNameDecoding: FolderNameDecoding
        /// Give messages in `new/` the UIDs Courier would give them (marked
        /// ``UIDOrigin/assigned``); when false they have no UID.
        public var assignUIDsToNewMessages: Bool
        /// Read `courierimapkeywords/` (Courier with `IMAP_KEYWORDS=0` ignores it).
        public var readKeywords: Bool
        /// When above 0, a UID-keeping read leaves the messages Courier has not numbered yet
        /// whose delivery time (the leading number of the file name) is within this many
        /// seconds of now without a UID, and every message after them in Courier's order: a
        /// message still arriving in that second may sort before them, and Courier numbers
        /// all of them together at its next scan (see ``CourierUIDAssignment``). 0 numbers
        /// everything (the final pass, with delivery held).
        public var settleSeconds: Int64

        public init(
            folderNameDecoding: FolderNameDecoding = .detect, assignUIDsToNewMessages: Bool = true, readKeywords: Bool = true,
            settleSeconds: Int64 = 0
        ) {
            self.folderNameDecoding = folderNameDecoding
            self.assignUIDsToNewMessages = assignUIDsToNewMessages
            self.readKeywords = readKeywords
            self.settleSeconds = settleSeconds
        }
    }

    public let root: String
    public let options: Options

    /// Open a Maildir; it must have `cur/`.
    public init(root: String, options: Options = Options()) throws(MaildirError) {
        guard try FileSystem.isDirectory(FileSystem.join(root, "cur")) else {
            throw MaildirError(.notAMaildir, path: root, detail: "no cur/ directory: not a Maildir")
        }
        self.root = root
        self.options = options
    }

    public var inbox: CourierFolderEntry {
        CourierFolderEntry(levels: [], directoryName: nil, path: root, encoding: nil)
    }

    /// INBOX and every `.<name>` folder, sorted by level; undecodable names are reported and
    /// left out.
    public func folders() throws(MaildirError) -> (folders: [CourierFolderEntry], diagnostics: [MaildirDiagnostic]) {
        var folders = [inbox]
        var diagnostics: [MaildirDiagnostic] = []
        let listing = try FileSystem.entries(of: root) ?? DirectoryListing()
        for bytes in listing.undecodable where bytes.first == UInt8(ascii: ".") {
            diagnostics.append(MaildirDiagnostic(
                .error, .invalidFolderName, path: root,
                "folder directory name is not UTF-8 (\(MessageDirectoryScanner.escaped(bytes))); not copied"))
        }
        for name in listing.names where name.hasPrefix(".") {
            let path = FileSystem.join(root, name)
            guard try FileSystem.isDirectory(path) else { continue }
            guard try FileSystem.isDirectory(FileSystem.join(path, "cur")) else {
                diagnostics.append(MaildirDiagnostic(.warning, .invalidFolderName, path: path, "no cur/ inside: not a mail folder, skipped"))
                continue
            }
            do {
                let decoded = try MaildirFolderName.decode(directoryName: name, decoding: options.folderNameDecoding, path: path)
                if decoded.literalAmpersand {
                    diagnostics.append(MaildirDiagnostic(
                        .info, .folderEncodingDetected, path: path, "'&' is not modified UTF-7 here; the name is taken literally"))
                }
                folders.append(CourierFolderEntry(levels: decoded.levels, directoryName: name, path: path, encoding: decoded.encoding))
            } catch {
                diagnostics.append(MaildirDiagnostic(.error, .invalidFolderName, path: path, "\(error.detail); not copied"))
            }
        }
        // A half-converted tree can hold one folder under both encodings (.Résumé and
        // .R&AOk-sum&AOk-): they would merge into one destination folder. Keep the first by
        // directory name and report the other.
        folders.sort { ($0.directoryName ?? "") < ($1.directoryName ?? "") }
        var seen: [[String]: CourierFolderEntry] = [:]
        folders = folders.filter { folder in
            if let first = seen[folder.levels] {
                diagnostics.append(MaildirDiagnostic(
                    .error, .invalidFolderName, path: folder.path,
                    "same folder name as \(first.directoryName ?? "INBOX") in another encoding; not copied (merge the two by hand, then re-run)"))
                return false
            }
            seen[folder.levels] = folder
            return true
        }
        folders.sort { $0.levels.lexicographicallyPrecedes($1.levels) }
        return (folders, diagnostics)
    }

    /// Read one folder. POP3 UIDLs are attached to INBOX messages.
    public func read(_ folder: CourierFolderEntry) throws(MaildirError) -> CourierFolderSnapshot {
        try read(folder, assignUIDsToNew: options.assignUIDsToNewMessages)
    }

    /// Read one folder, deciding for this read whether `new/` messages get UIDs.
    public func read(_ folder: CourierFolderEntry, assignUIDsToNew: Bool) throws(MaildirError) -> CourierFolderSnapshot {
        try read(folder, assignUIDsToNew: assignUIDsToNew, ledger: nil)
    }

    /// Read one folder for a sync that keeps UIDs: every message gets the UID Courier has
    /// or would give it, numbered on top of the ``CourierUIDLedger`` of the previous read
    /// (`nil` the first time); the snapshot's ``CourierFolderSnapshot/ledger`` is the one to
    /// keep. A folder without a usable database gets the POP3 list's UIDVALIDITY (INBOX) or
    /// `now − 10⁹`, as Courier would.
    public func read(_ folder: CourierFolderEntry, ledger previous: CourierUIDDatabase?, now: Int64) throws(MaildirError) -> CourierFolderSnapshot {
        var fallback = UIDValidity(UInt32(truncatingIfNeeded: max(1, now - 1_000_000_000)))
        if folder.isInbox, let pop3 = try? pop3SizeList(), let validity = pop3.uidValidity, validity > 0, validity <= UInt64(UInt32.max) {
            fallback = UIDValidity(UInt32(validity))
        }
        let settledBefore = options.settleSeconds > 0 ? now - options.settleSeconds : nil
        return try read(folder, assignUIDsToNew: true, ledger: (previous, fallback), settledBefore: settledBefore)
    }

    private func read(
        _ folder: CourierFolderEntry, assignUIDsToNew: Bool, ledger: (previous: CourierUIDDatabase?, fallbackValidity: UIDValidity)?,
        settledBefore: Int64? = nil
    ) throws(MaildirError) -> CourierFolderSnapshot {
        var options = self.options
        options.assignUIDsToNewMessages = assignUIDsToNew
        var pop3: CourierPOP3SizeList?
        var problems: [MaildirDiagnostic] = []
        if folder.isInbox {
            // A broken POP3 cache must not stop the IMAP side: report it, keep going.
            do throws(MaildirError) {
                pop3 = try pop3SizeList()
            } catch {
                problems.append(MaildirDiagnostic(
                    .error, .uidDatabaseUnusable, path: error.path, line: error.line,
                    "\(error.detail); POP3 UIDLs are not kept (Courier would give new ones too)"))
            }
        }
        return try CourierFolderReader.read(
            folder: folder, pop3: pop3, options: options, extraDiagnostics: problems, ledger: ledger, settledBefore: settledBefore)
    }

    /// `courierpop3dsizelist`, or `nil` when POP3 was never used.
    public func pop3SizeList() throws(MaildirError) -> CourierPOP3SizeList? {
        let path = FileSystem.join(root, CourierPOP3SizeList.fileName)
        guard let bytes = try FileSystem.readFile(path) else { return nil }
        return try CourierPOP3SizeList.parse(bytes, path: path)
    }

    /// The subscriptions, decoded; `nil` when there is no `courierimapsubscribed`.
    public func subscriptions() throws(MaildirError) -> (entries: [CourierSubscriptions.Entry], diagnostics: [MaildirDiagnostic])? {
        let path = FileSystem.join(root, CourierSubscriptions.fileName)
        guard let bytes = try FileSystem.readFile(path) else { return nil }
        return CourierSubscriptions.parse(bytes, path: path).entries(decoding: options.folderNameDecoding, path: path)
    }
}
