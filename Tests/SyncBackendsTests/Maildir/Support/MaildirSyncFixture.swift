import Foundation
import Logging
import MailModel
import MailTestSupport
import Maildir
import StateStore
import SyncBackends
import SyncEngine
import Verify

/// A Courier Maildir built by code in a temporary directory, the Dovecot Maildir a sync
/// writes next to it, and the state directory: everything a Maildir-to-Maildir sync test needs.
struct MaildirSyncFixture {
    let root: String
    var source: String { root + "/courier/Maildir" }
    var destinationHome: String { root + "/dovecot" }
    var destination: String { destinationHome + "/Maildir" }
    var state: String { root + "/state" }
    let board = POP3IdentityBoard()

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("mailferry-maildir-sync-\(UUID().uuidString)").path
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: source + "/" + sub, withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(atPath: destinationHome, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// A message of roughly `size` bytes (LF line ends, as local delivery writes them).
    static func body(_ subject: String, size: Int = 300) -> String {
        var text = "From: a@example.test\nTo: b@example.test\nSubject: \(subject)\nMessage-ID: <\(subject.filter(\.isLetter))@x>\n\n"
        while text.utf8.count < size { text += "line of \(subject)\n" }
        return text
    }

    /// Create folder `.name` (Maildir++ directory name without the dot).
    func folder(_ name: String) throws {
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: source + "/." + name + "/" + sub, withIntermediateDirectories: true)
        }
        _ = FileManager.default.createFile(atPath: source + "/." + name + "/maildirfolder", contents: Data())
    }

    /// Deliver a message into `folder` ("" for INBOX): into `new/` when `flags` is nil, else
    /// into `cur/` with `:2,<flags>`. Returns the base name.
    @discardableResult
    func deliver(
        _ folder: String = "", unique: String, flags: String? = "S", body: String? = nil, mtime: Int64 = 1_700_000_000
    ) throws -> String {
        let content = Array((body ?? Self.body(unique)).utf8)
        let base = "\(unique).M1P1.host,S=\(content.count)"
        let directory = source + (folder.isEmpty ? "" : "/." + folder)
        let path = directory + (flags.map { "/cur/\(base):2,\($0)" } ?? "/new/\(base)")
        try write(path, content, mtime: mtime)
        return base
    }

    /// Write a file (absolute path or relative to the source Maildir) with an mtime.
    func write(_ path: String, _ bytes: [UInt8], mtime: Int64 = 1_700_000_000) throws {
        let full = path.hasPrefix("/") ? path : source + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(mtime))], ofItemAtPath: full)
    }

    func write(_ path: String, _ text: String) throws { try write(path, Array(text.utf8)) }

    /// Rename the message `base` in `folder` to carry `flags` (a Courier client's flag change).
    func setFlags(_ folder: String = "", base: String, flags: String) throws {
        let directory = source + (folder.isEmpty ? "" : "/." + folder)
        for sub in ["cur", "new"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: directory + "/" + sub) where name.hasPrefix(base) {
                try FileManager.default.moveItem(atPath: "\(directory)/\(sub)/\(name)", toPath: "\(directory)/cur/\(base):2,\(flags)")
            }
        }
    }

    func courierStore(updatesLedger: Bool = true, settleSeconds: Int64 = 0) -> CourierMaildirStore {
        CourierMaildirStore(
            root: source, options: .init(settleSeconds: settleSeconds), ledger: CourierUIDLedgerStore(directory: state + "/maildir-uids"), updatesLedger: updatesLedger,
            pop3Board: board, logger: Self.logger)
    }

    func dovecotStore(overwrite: Bool = false, lockTimeout: Double = 122) -> DovecotMaildirStore {
        DovecotMaildirStore(
            root: destination, owner: nil,
            options: .init(overwriteUIDValidity: overwrite, lock: .init(timeoutSeconds: lockTimeout, staleTimeoutSeconds: 120)),
            pop3Board: board, logger: Self.logger)
    }

    /// One sync run, Courier Maildir to Dovecot Maildir.
    func sync(
        overwrite: Bool = false, destination: (any DestinationStore)? = nil, maxAttempts: Int = 4, settleSeconds: Int64 = 0
    ) async throws -> AccountReport {
        var options = SyncOptions()
        options.temporaryDirectory = state + "/tmp"
        options.maxAttempts = maxAttempts
        try FileManager.default.createDirectory(atPath: options.temporaryDirectory, withIntermediateDirectories: true)
        return await AccountSync(
            account: "alice", source: courierStore(settleSeconds: settleSeconds), destination: destination ?? dovecotStore(overwrite: overwrite),
            stateStore: try SQLiteStateStore(directory: state), options: options, clock: TestClock(advance: .onSleep)
        ).run()
    }

    /// Read both Maildirs and compare every message (bytes, flags, dates, UIDs, UIDVALIDITY).
    func verify() async -> AccountVerification {
        var options = VerifyOptions()
        options.deep = true
        options.expectSameUIDs = true
        return await AccountVerifier(
            account: "alice", source: courierStore(updatesLedger: false), destination: dovecotStore(), store: nil, options: options
        ).run()
    }

    /// `dovecot-uidlist` of a destination folder ("" for INBOX), as text.
    func uidlist(_ folder: String = "") -> String {
        (try? String(contentsOfFile: destination + (folder.isEmpty ? "" : "/." + folder) + "/dovecot-uidlist", encoding: .utf8)) ?? ""
    }

    /// File names in a destination folder's `cur/` and `new/`.
    func destinationFiles(_ folder: String = "") -> [String] {
        let directory = destination + (folder.isEmpty ? "" : "/." + folder)
        return ["cur", "new"].flatMap { ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + $0)) ?? []) }.sorted()
    }
}
