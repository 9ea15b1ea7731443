import Foundation
import MailModel
import StateStore
import Synchronization
import SyncEngine
import SyncTestSupport
import Testing
import Verify

@Suite struct AccountVerifierTests {
    let source = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "INBOX.", separator: "."))
    let destination = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "", separator: "/"), firstValidity: 5000)
    let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("verify-\(UUID().uuidString)").path

    init() {
        source.addFolder("INBOX.Archive", subscribed: true)
        source.addFolder("INBOX.Projects", subscribed: true)
        source.deliver("Message-ID: <one@x>\r\nSubject: one\r\n\r\nbody one\r\n", flags: [.seen])
        source.deliver("Message-ID: <dup@x>\r\nSubject: twin ids\r\n\r\nfirst body\r\n")
        source.deliver("Message-ID: <dup@x>\r\nSubject: twin ids\r\n\r\nsecond body\r\n")
        source.deliver("Message-ID: <arch@x>\r\nSubject: archived\r\n\r\nold\r\n", to: "INBOX.Archive", flags: [.seen, Flag("$Label1")])
        source.deliver("Subject: no id\r\n\r\nproject\r\n", to: "INBOX.Projects", flags: [.flagged])
    }

    func migrate() async throws {
        var options = SyncOptions()
        options.temporaryDirectory = stateDirectory + "/tmp"
        let report = await AccountSync(
            account: "alice", source: InMemoryStore(server: source), destination: InMemoryStore(server: destination),
            stateStore: try SQLiteStateStore(directory: stateDirectory), options: options
        ).run()
        #expect(report.outcome == .complete)
    }

    func verify(deep: Bool = true, expectSameUIDs: Bool = false, useState: Bool = false) async throws -> AccountVerification {
        var options = VerifyOptions()
        options.deep = deep
        options.expectSameUIDs = expectSameUIDs
        return await AccountVerifier(
            account: "alice", source: InMemoryStore(server: source), destination: InMemoryStore(server: destination),
            store: useState ? try SQLiteStateStore(directory: stateDirectory) : nil, options: options
        ).run()
    }

    func uid(of text: String, in server: InMemoryMailServer, folder: String) -> UID {
        server.messages(in: folder).first { String(decoding: $0.bytes, as: UTF8.self).contains(text) }!.uid
    }

    @Test func aCleanMigrationVerifiesWithNoDiscrepancy() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        let result = try await verify()
        #expect(result.isIdentical)
        #expect(result.matched == 5)
        #expect(result.folders.count == 3)
        let fromState = try await verify(deep: false, useState: true)
        #expect(fromState.isIdentical)
        #expect(fromState.folders.reduce(0) { $0 + $1.fingerprintsFromState } == 10)
    }

    /// Each source folder's open waits until the destination's open of the same folder has
    /// begun: with the opens one after the other, this would wait until the time limit.
    @Test(.timeLimit(.minutes(1))) func bothFoldersOfAPairAreOpenedAtOnce() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        let (destinationOpens, signal) = AsyncStream<String>.makeStream()
        destination.withLock { destination.beforeOpen = { folder in signal.yield(folder) } }
        let sourceOpens = Mutex<[String]>([])
        source.withLock {
            source.beforeOpen = { folder in
                sourceOpens.withLock { $0.append(folder) }
                for await _ in destinationOpens { return }
            }
        }
        let result = try await verify(useState: true)
        #expect(result.isIdentical)
        #expect(result.matched == 5)
        #expect(sourceOpens.withLock { $0 }.count == 3)
    }

    @Test func namesThatDifferOnlyInNormalisationSyncToTwoFoldersAndVerify() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let composed = "Entw\u{FC}rfe"  // ü as one code point (NFC)
        let decomposed = "Entwu\u{308}rfe"  // u + combining diaeresis (NFD)
        source.addFolder("INBOX." + composed)
        source.addFolder("INBOX." + decomposed)
        source.deliver("Subject: nfc\r\n\r\ncomposed\r\n", to: "INBOX." + composed)
        source.deliver("Subject: nfd\r\n\r\ndecomposed\r\n", to: "INBOX." + decomposed)
        #expect(source.folderNames().count == 5)
        try await migrate()
        let names = destination.folderNames().map { Array($0.utf8) }
        #expect(names.contains(Array(composed.utf8)))
        #expect(names.contains(Array(decomposed.utf8)))
        #expect(destination.messages(in: composed).map { String(decoding: $0.bytes, as: UTF8.self) } == ["Subject: nfc\r\n\r\ncomposed\r\n"])
        #expect(destination.messages(in: decomposed).map { String(decoding: $0.bytes, as: UTF8.self) } == ["Subject: nfd\r\n\r\ndecomposed\r\n"])
        for result in [try await verify(), try await verify(deep: false, useState: true)] {
            #expect(result.isIdentical)
            #expect(result.discrepancies.isEmpty)
            #expect(result.folders.count == 5)
        }
    }

    @Test func aMessageDeletedOnTheDestinationIsMissing() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        destination.expungeAll(in: "INBOX") { String(decoding: $0.bytes, as: UTF8.self).contains("body one") }
        for result in [try await verify(), try await verify(deep: false, useState: true)] {
            #expect(!result.isIntact)
            #expect(result.discrepancies.count == 1)
            let missing = try #require(result.discrepancies.first)
            #expect(missing.kind == .missing)
            #expect(missing.source?.messageID == "<one@x>")
            #expect(missing.source?.subject == "one")
            #expect(missing.source?.uid == uid(of: "body one", in: source, folder: "INBOX").rawValue)
        }
    }

    @Test func oneChangedByteIsAnAlteredMessage() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        destination.expungeAll(in: "INBOX.Archive".replacing("INBOX.", with: "")) { _ in true }
        destination.deliver("Message-ID: <arch@x>\r\nSubject: archived\r\n\r\nolD\r\n", to: "Archive", flags: [.seen, Flag("$Label1")])
        let result = try await verify()
        #expect(result.discrepancies.map(\.kind) == [.altered])
        #expect(result.discrepancies.first?.destination?.folder == "Archive")
        #expect(!result.isIntact)
    }

    @Test func flagAndKeywordChangesAreNamed() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        let archived = destination.messages(in: "Archive")[0]
        destination.setFlags([Flag("$Label1")], uid: archived.uid, in: "Archive")
        let project = destination.messages(in: "Projects")[0]
        destination.setFlags([.flagged, Flag("$Added")], uid: project.uid, in: "Projects")
        let result = try await verify(deep: false, useState: true)
        #expect(result.isIntact)
        #expect(!result.isIdentical)
        let details = result.discrepancies.filter { $0.kind == .flagsDiffer }.map(\.detail).sorted()
        #expect(details == ["missing on the destination: \\Seen", "only on the destination: $Added"])
    }

    @Test func aDeletedFolderAndARemovedSubscriptionAreNamed() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        destination.removeFolder("Projects")
        destination.unsubscribe("Archive")
        let result = try await verify()
        let kinds = result.discrepancies.map(\.kind)
        #expect(kinds.contains(.folderMissing))
        #expect(kinds.contains(.subscriptionDiffers))
        #expect(result.discrepancies.first { $0.kind == .subscriptionDiffers }?.source?.folder == "INBOX.Archive")
        #expect(!result.isIntact)
    }

    @Test func anExtraMessageOnTheDestinationIsNamed() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        destination.deliver("Message-ID: <new@x>\r\nSubject: arrived on new\r\n\r\nx\r\n", to: "INBOX")
        let result = try await verify(deep: false, useState: true)
        #expect(result.isIntact)
        #expect(result.discrepancies.map(\.kind) == [.extra])
        #expect(result.discrepancies.first?.destination?.subject == "arrived on new")
    }

    @Test func ofTwoMessagesSharingAMessageIDTheOneThatDidNotArriveIsMissing() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        destination.expungeAll(in: "INBOX") { String(decoding: $0.bytes, as: UTF8.self).contains("second body") }
        let result = try await verify()
        #expect(result.discrepancies.map(\.kind) == [.missing])
        #expect(result.discrepancies.first?.source?.uid == uid(of: "second body", in: source, folder: "INBOX").rawValue)
    }

    @Test func expectSameUIDsNamesRenumberedMessages() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        #expect(try await verify(expectSameUIDs: true).discrepancies.contains { $0.kind == .uidValidityDiffers })
        destination.expungeAll(in: "INBOX") { _ in true }
        destination.deliver("Message-ID: <filler@x>\r\n\r\nfiller\r\n", to: "INBOX")
        for message in source.messages(in: "INBOX") { destination.deliver(message.bytes, to: "INBOX", flags: message.flags) }
        let result = try await verify(expectSameUIDs: true)
        #expect(result.discrepancies.filter { $0.kind == .uidDiffers }.count == 3)
    }

    @Test func reportsRenderEveryDiscrepancy() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        destination.expungeAll(in: "INBOX") { String(decoding: $0.bytes, as: UTF8.self).contains("body one") }
        destination.deliver("Subject: <script>alert(1)</script>\r\n\r\nx\r\n", to: "INBOX")
        let account = try await verify()
        let report = VerifyReport(
            scope: .init(deep: true, expectSameUIDs: false, startedAt: "2026-11-29 10:00:00 UTC", finishedAt: "2026-11-29 10:00:01 UTC",
                         toolVersion: "test"),
            accounts: [account])
        let text = VerifyTextRenderer().render(report)
        #expect(text.contains("1 missing, 0 altered, 1 extra"))
        #expect(text.contains("<one@x>"))
        let html = VerifyHTMLRenderer().render(report)
        #expect(html.contains("LOSS FOUND"))
        #expect(html.contains("&lt;one@x&gt;"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
        let json = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(VerifyReport.self, from: json) == report)
    }

    @Test func anUnreachableServerIsNotVerified() async throws {
        source.inject(.refuseLogin)
        let result = try await verify()
        #expect(result.error != nil)
        #expect(result.errorKind == .authentication)
        #expect(!result.isIntact)
        // Reports keep the kind as its name, as scripts read it.
        let json = try #require(String(data: try JSONEncoder().encode(result), encoding: .utf8))
        #expect(json.contains(#""errorKind":"authentication""#))
    }

    /// Each side's folders are opened (and read) on the executor given for it, so the IMAP
    /// stores' connections and body streams stay on one event loop each.
    @Test func eachSideRunsOnItsOwnExecutor() async throws {
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        try await migrate()
        let executors = [MarkedExecutor(), MarkedExecutor()]
        let seen = Mutex<[String]>([])
        source.withLock {
            source.beforeOpen = { _ in
                let mark = executors[0].isCurrent ? "source" : executors[1].isCurrent ? "destination" : "pool"
                seen.withLock { $0.append("source opened on \(mark)") }
            }
        }
        destination.withLock {
            destination.beforeOpen = { _ in
                let mark = executors[1].isCurrent ? "destination" : executors[0].isCurrent ? "source" : "pool"
                seen.withLock { $0.append("destination opened on \(mark)") }
            }
        }
        var options = VerifyOptions()
        options.deep = true
        let result = await AccountVerifier(
            account: "alice", source: InMemoryStore(server: source), destination: InMemoryStore(server: destination), store: nil,
            options: options, executors: executors
        ).run()
        #expect(result.isIdentical)
        let opens = seen.withLock { $0 }
        #expect(opens.count == 6, "three folders on each side: \(opens)")
        #expect(Set(opens) == ["source opened on source", "destination opened on destination"])
    }
}

/// A task executor on a serial queue of its own, which can tell whether the calling code runs on it.
private final class MarkedExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "mailferry.test.marked-executor")
    private let key = DispatchSpecificKey<ObjectIdentifier>()

    init() { queue.setSpecific(key: key, value: ObjectIdentifier(self)) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == ObjectIdentifier(self) }
}
