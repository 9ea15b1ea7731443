import Cutover
import Foundation
import MailModel
import Synchronization
import SyncEngine
import SyncTestSupport
import Testing
import Verify

@testable import Migration

/// The rollback's copy-back from an in-memory new store into a Courier Maildir on disk
/// (through LocalHost and a real /bin/sh): only what arrived after the marks, into the folder
/// `sync` had copied it from, bytes and flags kept, and nothing twice after an interruption.
struct CopyBackTests {
    /// A Courier Maildir with INBOX and `.Archive`.
    static func oldMaildir() throws -> String {
        let root = NSTemporaryDirectory() + "mailferry-copyback-\(UUID().uuidString.prefix(8))/Maildir"
        for folder in ["", "/.Archive"] {
            for sub in ["cur", "new", "tmp"] {
                try FileManager.default.createDirectory(atPath: "\(root)\(folder)/\(sub)", withIntermediateDirectories: true)
            }
        }
        #expect(FileManager.default.createFile(atPath: "\(root)/.Archive/maildirfolder", contents: Data()))
        return root
    }

    /// Every message file under the Maildir, as "folder/sub/name" → bytes.
    static func files(_ root: String) -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for folder in ["", "/.Archive"] {
            for sub in ["cur", "new", "tmp"] {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)\(folder)/\(sub)")) ?? [] {
                    result["\(folder.isEmpty ? "INBOX" : folder)/\(sub)/\(name)"] = FileManager.default.contents(atPath: "\(root)\(folder)/\(sub)/\(name)").map(Array.init)
                }
            }
        }
        return result
    }

    /// The new store before the switch (two old messages) and after it (four new ones: two in
    /// INBOX, one filed into Archive, one into a folder created since).
    static func newStore() async throws -> (InMemoryStore, NewMailboxMarks) {
        let server = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "", separator: "/"))
        server.addFolder("Archive")
        server.deliver("Subject: before 1\r\n\r\nold\r\n")
        server.deliver("Subject: before 2\r\n\r\nold\r\n", to: "Archive")
        let store = InMemoryStore(server: server)
        let marks = NewMailboxMarks(accounts: ["alice": try await store.withSession { (session: any MailboxReader) in try await CopyBack.marks(session) }])
        server.deliver("Subject: after 1\r\n\r\nnew \u{e9}\r\n", flags: [.seen, .flagged], date: 1_700_000_001)
        server.deliver(Array("Subject: after 2\n\nbare LF, 8-bit \u{ff}\n".utf8) + [0xFF, 0x00], to: "INBOX", date: 1_700_000_002)
        server.deliver("Subject: after 3\r\n\r\nfiled\r\n", to: "Archive", flags: [.answered], date: 1_700_000_003)
        server.addFolder("Lists")
        server.deliver("Subject: after 4\r\n\r\nsieve made a folder\r\n", to: "Lists", date: 1_700_000_004)
        return (store, marks)
    }

    @Test func onlyMailAfterTheMarksGoesBackIntoItsOldFolderWithBytesAndFlags() async throws {
        let root = try Self.oldMaildir()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let (store, marks) = try await Self.newStore()
        #expect(marks.accounts["alice"]?["INBOX"]?.uidNext == 2 && marks.accounts["alice"]?["Archive"]?.uidNext == 2)
        let copyBack = CopyBack(drop: MaildirDrop(host: LocalHost()))
        let report = try await store.withSession { (session: any MailboxReader) in
            try await copyBack.copy(account: "alice", from: session, marks: marks, oldMaildir: root)
        }
        #expect(report.written == 4 && report.alreadyPresent == 0)
        #expect(report.intoInbox == ["Lists"])

        let files = Self.files(root)
        let subjects = files.mapValues { String(decoding: $0, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "" }
        #expect(!subjects.values.contains { $0.contains("before") })
        let inbox = store.server.messages(in: "INBOX")
        func key(_ folder: String) -> String { CopyBack.folderKey(folder) }
        let validity = { (folder: String) in store.server.validity(of: folder)!.rawValue }
        // On disk as Courier keeps mail: CRLF as LF; the bare LF, 8-bit and NUL bytes as they were.
        let first = Array("Subject: after 1\n\nnew \u{e9}\n".utf8)
        #expect(CopyBack.onDiskForm(inbox[1].bytes) == first)
        #expect(files["INBOX/cur/1700000001.mailferry-\(key("INBOX"))-\(validity("INBOX"))-2.copyback,S=\(first.count):2,FS"] == first)
        #expect(files["INBOX/new/1700000002.mailferry-\(key("INBOX"))-\(validity("INBOX"))-3.copyback,S=\(inbox[2].bytes.count)"] == inbox[2].bytes)
        let archive = CopyBack.onDiskForm(store.server.messages(in: "Archive")[1].bytes)
        #expect(files["/.Archive/cur/1700000003.mailferry-\(key("Archive"))-\(validity("Archive"))-2.copyback,S=\(archive.count):2,R"] == archive)
        let lists = CopyBack.onDiskForm(store.server.messages(in: "Lists")[0].bytes)
        #expect(files["INBOX/new/1700000004.mailferry-\(key("Lists"))-\(validity("Lists"))-1.copyback,S=\(lists.count)"] == lists)
        #expect(files.count == 4, "\(files.keys.sorted())")

        // A second run (the step repeated after a crash) finds every file and writes none.
        let again = try await store.withSession { (session: any MailboxReader) in
            try await copyBack.copy(account: "alice", from: session, marks: marks, oldMaildir: root)
        }
        #expect(again.written == 0 && again.alreadyPresent == 4)
        #expect(Self.files(root) == files)
    }

    /// The old host dies (kill -9, a lost SSH session) after the second message: the step
    /// fails; run again, it writes the other two, and every message is there exactly once.
    @Test func aCopyInterruptedMidwayCompletesWithoutDuplicates() async throws {
        let root = try Self.oldMaildir()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let (store, marks) = try await Self.newStore()
        let dying = DyingHost(writesBeforeDeath: 2)
        await #expect(throws: CutoverError.self) {
            _ = try await store.withSession { (session: any MailboxReader) in
                try await CopyBack(drop: MaildirDrop(host: dying)).copy(account: "alice", from: session, marks: marks, oldMaildir: root)
            }
        }
        #expect(Self.files(root).count == 2)
        let resumed = try await store.withSession { (session: any MailboxReader) in
            try await CopyBack(drop: MaildirDrop(host: LocalHost())).copy(account: "alice", from: session, marks: marks, oldMaildir: root)
        }
        #expect(resumed.written == 2 && resumed.alreadyPresent == 2)
        let files = Self.files(root)
        #expect(files.count == 4 && !files.keys.contains { $0.contains("/tmp/") })
        #expect(Set(files.values).count == 4)
    }

    /// A folder whose UIDVALIDITY changed since the marks was rebuilt: its UIDs say nothing
    /// about the switch, so all of it goes back (the file names keep a later run exact).
    @Test func aFolderWithAnotherUIDValidityGoesBackWhole() async throws {
        let root = try Self.oldMaildir()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let (store, marks) = try await Self.newStore()
        var other = marks
        other.accounts["alice"]?["Archive"]?.uidValidity &+= 1
        let report = try await store.withSession { (session: any MailboxReader) in
            try await CopyBack(drop: MaildirDrop(host: LocalHost())).copy(account: "alice", from: session, marks: other, oldMaildir: root)
        }
        #expect(report.written == 5)
        #expect(Self.files(root).keys.filter { $0.hasPrefix("/.Archive/") }.count == 2)
    }

    @Test func onlyCRLFBecomesLF() {
        #expect(CopyBack.onDiskForm(Array("a\r\nb\rc\nd\r\r\n\r".utf8)) == Array("a\nb\rc\nd\r\n\r".utf8))
        #expect(CopyBack.onDiskForm([]) == [])
    }

    @Test func marksSurviveTheJournalsJSON() throws {
        let marks = NewMailboxMarks(accounts: ["alice": ["INBOX": .init(uidValidity: 1_700_000_000, uidNext: 42), "Archive/2019": .init(uidValidity: 3, uidNext: 1)]])
        let event = CutoverEvent.finished(CutoverResult(detail: "marked", marks: marks))
        #expect(try JSONDecoder().decode(CutoverEvent.self, from: JSONEncoder().encode(event)) == event)
        // A result without marks is stored as before: no new key.
        let plain = String(decoding: try JSONEncoder().encode(CutoverResult(detail: "x")), as: UTF8.self)
        #expect(!plain.contains("marks"))
        #expect(marks.firstNewUID(account: "alice", folder: "INBOX", uidValidity: 1_700_000_000) == 42)
        #expect(marks.firstNewUID(account: "alice", folder: "INBOX", uidValidity: 9) == 1)
        #expect(marks.firstNewUID(account: "bob", folder: "INBOX", uidValidity: 1_700_000_000) == 1)
    }
}

/// LocalHost until its `writesBeforeDeath`-th Maildir write has run; then every command fails
/// as a lost connection would.
final class DyingHost: Cutover.Host {
    let name = "dying"
    let local = LocalHost(name: "dying")
    let left: Mutex<Int>

    init(writesBeforeDeath: Int) { left = Mutex(writesBeforeDeath) }

    func run(_ command: HostCommand) async throws -> CommandOutput {
        let isWrite = command.argv.first == "/bin/sh"
        let alive = left.withLock { count in
            guard count > 0 else { return false }
            if isWrite { count -= 1 }
            return true
        }
        guard alive else { throw CutoverError.cannotRun(host: name, command: command.description, reason: "ssh: connection lost") }
        return try await local.run(command)
    }

    func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int) async throws { try await local.writeFile(path, bytes, permissions: permissions) }
    func readFile(_ path: String) async throws -> [UInt8]? { try await local.readFile(path) }
    func removeFile(_ path: String) async throws { try await local.removeFile(path) }
}
