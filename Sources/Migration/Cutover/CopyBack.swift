import Cutover
import Maildir
import MailModel
import SyncEngine
import Verify

/// A rollback's way back for mail that reached the new mailboxes after the switch: read
/// from the new store (any ``MailboxReader``: Dovecot's IMAP or its Maildir) and written
/// into the old Courier Maildir through a ``MaildirDrop`` on the old host, local or over SSH.
/// Courier needs no running daemon for this (its IMAP is stopped until the rollback's last
/// step) and reads the files it finds at its next scan, numbering them after the messages it
/// had. A message is written in the Maildir's on-disk form: each CRLF as LF, every other
/// byte as fetched. Courier (like Postfix's local(8), which filled that store) keeps LF line
/// ends on disk and adds the CR when it serves a message, so a file with CRLF would reach
/// its IMAP and POP3 clients as CR CR LF; with LF, Courier serves the exact bytes the new
/// store served. System flags become the file name's letters, keywords a Courier keyword
/// update file (``MaildirDrop``), the internal date the file's time.
///
/// Each message's file name is derived from its new-side folder, UIDVALIDITY and UID, so a
/// second run after a crash finds the files of the first and writes only what is missing.
public struct CopyBack: Sendable {
    public let drop: MaildirDrop
    /// The mapping rules of the migration: the old folder that `sync` copied into a new
    /// folder is the one mail goes back to.
    public let rules: MappingRules

    public init(drop: MaildirDrop, rules: MappingRules = MappingRules()) {
        self.drop = drop
        self.rules = rules
    }

    /// What one account's copy-back did.
    public struct Report: Hashable, Sendable {
        public var written = 0
        public var alreadyPresent = 0
        /// New folders with no old counterpart, whose mail went to the old INBOX.
        public var intoInbox: [String] = []

        public init() {}
    }

    /// The marks of one account: every selectable folder's UIDVALIDITY and UIDNEXT.
    public static func marks(_ reader: any MailboxReader) async throws -> [String: NewMailboxMarks.Folder] {
        try await FolderMark.marks(reader)
    }

    /// Copies the account's mail that arrived after `marks` into the old Maildir at
    /// `oldMaildir` (the directory holding INBOX's `cur/`, `new/`, `tmp/` and the `.Folder`
    /// directories), one message in memory at a time.
    public func copy(account: String, from reader: any MailboxReader, marks: NewMailboxMarks, oldMaildir: String) async throws -> Report {
        let targets = try await oldFolders(for: reader, oldMaildir: oldMaildir)
        var report = Report()
        for folder in try await reader.listFolders() where folder.isSelectable && folder.nameError == nil {
            let status = try await reader.open(folder.name)
            let first = marks.firstNewUID(account: account, folder: folder.name.name, uidValidity: status.uidValidity.rawValue)
            guard first < status.uidNext else { continue }
            let arrived = try await reader.summaries(SummaryRequest(from: UID(first))).filter { $0.uid.rawValue >= first }
            guard !arrived.isEmpty else { continue }
            let target: String
            if let mapped = targets[folder.name.name] {
                target = mapped
            } else {
                target = oldMaildir
                report.intoInbox.append(folder.name.name)
            }
            let folderKey = Self.folderKey(folder.name.name)
            for summary in arrived.sorted(by: { $0.uid < $1.uid }) {
                let sink = CollectingSink()
                try await reader.fetchBodies([summary.uid], into: sink)
                // Expunged since it was listed: nothing to carry back.
                guard let fetched = sink.message else { continue }
                let bytes = Self.onDiskForm(fetched)
                let date = summary.internalDate?.secondsSince1970 ?? 0
                let key = "\(folderKey)-\(status.uidValidity.rawValue)-\(summary.uid.rawValue)"
                let name = MaildirDrop.baseName(date: date, key: key, size: bytes.count)
                let flags = MaildirFlagLetters(systemFlags: summary.flags.intersection(Flag.storableSystemFlags)).description
                let keywords = summary.flags.filter { $0.isKeyword && $0.isValidKeyword }.map(\.stringValue).sorted()
                switch try await drop.put(bytes, folder: target, baseName: name, flags: flags, date: date, keywords: keywords) {
                case .written: report.written += 1
                case .alreadyPresent: report.alreadyPresent += 1
                }
            }
        }
        return report
    }

    /// New folder name → old folder directory, by mapping the old Maildir's folders (listed
    /// on the old host) with the migration's rules, as `sync` did, and inverting the result.
    func oldFolders(for reader: any MailboxReader, oldMaildir: String) async throws -> [String: String] {
        let output = try await drop.host.check(
            ["/usr/bin/find", oldMaildir, "-mindepth", "1", "-maxdepth", "1", "-type", "d", "-name", ".?*"], timeout: .seconds(120))
        var directories: [String: String] = ["INBOX": oldMaildir]
        for path in output.standardOutput.split(separator: "\n") {
            let directory = path.split(separator: "/").last.map(String.init) ?? ""
            guard directory.count > 1, directory != "..", directory.hasPrefix(".") else { continue }
            directories[CourierMaildir.namespacePrefix + directory.dropFirst()] = String(path)
        }
        let old = directories.keys.map { FolderListing(name: MailboxName($0, separator: CourierMaildir.separator)) }
        let mapper = FolderMapper(
            sourceHierarchy: StoreHierarchy(prefix: CourierMaildir.namespacePrefix, separator: CourierMaildir.separator),
            destinationHierarchy: try await reader.hierarchy(), rules: rules)
        var result: [String: String] = [:]
        for mapping in mapper.plan(source: old, destination: try await reader.listFolders()).mappings {
            if let directory = directories[mapping.source.name.name] { result[mapping.destination.name] = directory }
        }
        return result
    }

    /// `message` with each CRLF as LF; a bare CR or LF stays as it is.
    static func onDiskForm(_ message: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(message.count)
        var index = message.startIndex
        while index < message.endIndex {
            let byte = message[index]
            if byte == 0x0D, index + 1 < message.endIndex, message[index + 1] == 0x0A {
                result.append(0x0A)
                index += 2
            } else {
                result.append(byte)
                index += 1
            }
        }
        return result
    }

    /// A short, stable tag of the new-side folder (FNV-1a, 32 bits, hex) for file names:
    /// two new folders that go back into one old folder never share a name.
    static func folderKey(_ name: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

/// One message's bytes as the store streams them.
private final class CollectingSink: MessageBodySink {
    var message: [UInt8]?
    private var current: [UInt8] = []

    func begin(uid: UID, size: Int) throws {
        current = []
        current.reserveCapacity(size)
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws { current.append(contentsOf: bytes) }

    func end() throws { message = current }
}
