import Foundation
import MailModel
import StateStore
import Testing

@Suite struct SQLiteStateStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statestore-\(UUID().uuidString)").path

    func record(uid: UInt32, state: MessageRecord.State = .copied, flags: Set<Flag> = [.seen]) -> MessageRecord {
        MessageRecord(
            account: "alice", sourceFolder: "INBOX.Entwürfe", sourceUIDValidity: UIDValidity(42), sourceUID: UID(exactly: uid),
            destinationFolder: "Drafts", destinationUIDValidity: UIDValidity(7), destinationUID: UID(uid + 100),
            fingerprint: .of(Array("message \(uid)".utf8)), size: 1000 + Int(uid),
            internalDate: InternalDate(secondsSince1970: 1_700_000_000, zoneOffsetMinutes: 60), syncedFlags: flags,
            state: state, destinationUIDNextBefore: 5, failure: state == .rejected ? "NO [OVERQUOTA] full" : nil
        )
    }

    @Test func recordsSurviveReopening() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pair = FolderPairRecord(
            account: "alice", sourceFolder: "INBOX.Entwürfe", destinationFolder: "Drafts", sourceUIDValidity: UIDValidity(42),
            destinationUIDValidity: UIDValidity(7), sourceUIDNext: 12, sourceHighestModSeq: ModSeq(99),
            sourceMessageCount: 3, lastSyncedAt: 1_700_000_000
        )
        let written = [record(uid: 1), record(uid: 2, state: .pending, flags: [Flag("$Label1"), .flagged]), record(uid: 3, state: .rejected)]
        do {
            let store = try SQLiteStateStore(directory: directory)
            try await store.saveFolderPair(pair)
            try await store.saveMessages(written)
        }
        let reopened = try SQLiteStateStore(directory: directory)
        #expect(try await reopened.folderPair(account: "alice", sourceFolder: "INBOX.Entwürfe") == pair)
        #expect(try await reopened.folderPairs(account: "alice") == [pair])
        #expect(try await reopened.folderPair(account: "bob", sourceFolder: "INBOX.Entwürfe") == nil)
        #expect(try await reopened.messages(account: "alice", sourceFolder: "INBOX.Entwürfe") == written)
    }

    /// Several folders' records in one read: only those folders' and that account's, every
    /// folder's as its own read gives them, two names that differ only in Unicode
    /// normalisation apart.
    @Test func readsSeveralFoldersAtOnce() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let composed = "INBOX.Entw\u{FC}rfe"
        let decomposed = "INBOX.Entwu\u{308}rfe"
        func inFolder(_ folder: String, account: String = "alice", uid: UInt32) -> MessageRecord {
            var record = record(uid: uid)
            record.sourceFolder = folder
            record.account = account
            return record
        }
        let store = try SQLiteStateStore(directory: directory)
        try await store.saveMessages([
            inFolder(composed, uid: 2), inFolder(composed, uid: 1), inFolder(decomposed, uid: 1), inFolder("INBOX", uid: 5),
            inFolder("INBOX.Sent", uid: 3), inFolder("INBOX", account: "bob", uid: 9),
        ])
        let read = try await store.messages(account: "alice", sourceFolders: [composed, decomposed, "INBOX", "INBOX.Empty"])
        for folder in [composed, decomposed, "INBOX"] {
            let own = try await store.messages(account: "alice", sourceFolder: folder)
            #expect(read.filter { Array($0.sourceFolder.utf8) == Array(folder.utf8) } == own, "\(folder)")
        }
        #expect(read.count == 4)
        #expect(try await store.messages(account: "alice", sourceFolders: []).isEmpty)
    }

    @Test func upsertReplacesAndDeleteRemoves() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStateStore(directory: directory)
        try await store.saveMessages([record(uid: 1, state: .pending), record(uid: 2)])
        try await store.saveMessages([record(uid: 1, state: .copied)])
        var messages = try await store.messages(account: "alice", sourceFolder: "INBOX.Entwürfe")
        #expect(messages.map(\.state) == [.copied, .copied])
        // Every column but the key is replaced, to a value and to NULL.
        var changed = record(uid: 1, state: .rejected, flags: [Flag("$Label2")])
        changed.destinationFolder = "Entwürfe"
        changed.destinationUIDValidity = nil
        changed.destinationUID = nil
        changed.fingerprint = .of(Array("another".utf8))
        changed.size = 7
        changed.internalDate = nil
        changed.destinationUIDNextBefore = nil
        try await store.saveMessages([changed])
        messages = try await store.messages(account: "alice", sourceFolder: "INBOX.Entwürfe")
        #expect(messages == [changed, record(uid: 2)])
        try await store.saveMessages([record(uid: 1, state: .copied)])
        try await store.deleteMessages(account: "alice", sourceFolder: "INBOX.Entwürfe", keys: [record(uid: 2).sourceKey])
        messages = try await store.messages(account: "alice", sourceFolder: "INBOX.Entwürfe")
        #expect(messages.map(\.sourceUID) == [UID(exactly: 1)])
    }

    @Test func replaceMovesARecordToANewKeyAtomically() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStateStore(directory: directory)
        try await store.saveMessages([record(uid: 1), record(uid: 2)])
        var rebound = record(uid: 2)
        rebound.sourceUIDValidity = UIDValidity(43)
        rebound.sourceUID = UID(exactly: 9)
        try await store.replaceMessages(
            account: "alice", sourceFolder: "INBOX.Entwürfe", removing: [record(uid: 2).sourceKey], saving: [rebound])
        let messages = try await store.messages(account: "alice", sourceFolder: "INBOX.Entwürfe")
        #expect(messages.map(\.sourceKey) == [record(uid: 1).sourceKey, rebound.sourceKey])
    }

    @Test func refusesAnUnwritableLocationWithAnError() {
        #expect(throws: (any Error).self) { try SQLiteStateStore(path: "/proc/mailferry-cannot-write-here/state.sqlite") }
    }
}
