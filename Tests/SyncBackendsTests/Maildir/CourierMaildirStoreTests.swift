import Foundation
import Glibc
import MailModel
import Maildir
import SyncBackends
import SyncEngine
import Testing

/// The Courier Maildir source on its own: what it lists and reads, which UIDs it gives, and
/// that it changes nothing on disk.
@Suite struct CourierMaildirStoreTests {
    /// Collects fetched bodies.
    final class Bodies: MessageBodySink {
        var bodies: [UID: [UInt8]] = [:]
        var current: UID?
        func begin(uid: UID, size: Int) throws { current = uid; bodies[uid] = [] }
        func append(_ bytes: UnsafeRawBufferPointer) throws { bodies[current!]! += Array(bytes) }
        func end() throws { current = nil }
    }

    func open(_ store: CourierMaildirStore, _ folder: String) async throws -> (FolderStatus, [MessageSummary]) {
        try await store.withSession { (session: any MailboxReader) in
            let status = try await session.open(MailboxName(folder, separator: "."))
            return (status, try await session.summaries(.all))
        }
    }

    @Test func foldersSubscriptionsFlagsKeywordsAndBytesAreWhatCourierShows() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let body = "Subject: lf only\n\nno final newline"
        let a = try fixture.deliver(unique: "1700000001", flags: "RS", body: body, mtime: 1_500_000_000)
        try fixture.write("courierimapuiddb", "1 700000000 8\n7 \(a)\n")
        try fixture.write("courierimapkeywords/:list", "$Forwarded\n\n\(a):0\n")
        for name in ["Sent", "Entwürfe", "R&AOk-sum&AOk-", "AT&T"] { try fixture.folder(name) }
        try fixture.write("courierimapsubscribed", "INBOX\nINBOX.Sent\nINBOX.Résumé\n#shared.golf\n")
        // A folder directory whose name is not UTF-8: a plan problem, not a silent omission.
        let raw: [UInt8] = Array((fixture.source + "/.Bad").utf8) + [0xFF]
        _ = raw.withUnsafeBufferPointer { buffer in buffer.withMemoryRebound(to: CChar.self) { mkdir(Array($0) + [0], 0o700) } }
        for sub in ["cur", "new", "tmp"] {
            let path = raw + Array("/\(sub)".utf8) + [0]
            _ = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o700) } }
        }

        let store = fixture.courierStore()
        let listing = try await store.withSession { (session: any MailboxReader) in try await session.listFolders() }
        let readable = listing.filter { $0.nameError == nil }
        #expect(Set(readable.map(\.name.name)) == ["INBOX", "INBOX.Sent", "INBOX.Entwürfe", "INBOX.Résumé", "INBOX.AT&T"])
        #expect(Set(readable.filter(\.isSubscribed).map(\.name.name)) == ["INBOX", "INBOX.Sent", "INBOX.Résumé"])
        #expect(listing.filter { $0.nameError != nil }.count == 1)
        #expect(try await store.withSession { (session: any MailboxReader) in try await session.hierarchy() }
            == StoreHierarchy(prefix: "INBOX.", separator: "."))

        let (status, summaries) = try await open(store, "INBOX")
        #expect(status.uidValidity == UIDValidity(700_000_000))
        #expect(status.uidNext == 8)
        #expect(summaries == [
            MessageSummary(uid: UID(exactly: 7), flags: [.answered, .seen, Flag("$Forwarded")], internalDate: InternalDate(secondsSince1970: 1_500_000_000), size: body.utf8.count)
        ])
        let sink = Bodies()
        try await store.withSession { (session: any MailboxReader) in
            _ = try await session.open(.inbox(separator: "."))
            // The file is renamed (a flag change by a running Courier) after the folder was opened.
            try FileManager.default.moveItem(atPath: "\(fixture.source)/cur/\(a):2,RS", toPath: "\(fixture.source)/cur/\(a):2,FRS")
            try await session.fetchBodies([UID(exactly: 7), UID(exactly: 99)], into: sink)
        }
        #expect(sink.bodies == [UID(exactly: 7): Array(body.utf8)], "exact bytes, LF and all; an unknown UID is skipped")
    }

    @Test func uidsCourierHasNotGivenAreGivenAsCourierWouldAndStayStable() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        try fixture.folder("Old")
        let first = try fixture.deliver("Old", unique: "1600000001", flags: "S")
        try fixture.deliver("Old", unique: "1600000002", flags: nil)
        try fixture.deliver("Old", unique: "1600000003", flags: "")
        let store = fixture.courierStore()
        let (status, summaries) = try await open(store, "INBOX.Old")
        #expect(summaries.map(\.uid.rawValue) == [1, 2, 3])
        let now = UInt32(time(nil)) - 1_000_000_000
        #expect((now - 5...now + 5).contains(status.uidValidity.rawValue), "Courier's formula: time − 10⁹")

        // A message goes (a POP3 client deleted it): the others keep their UIDs; new mail goes on top.
        try FileManager.default.removeItem(atPath: "\(fixture.source)/.Old/cur/\(first):2,S")
        try fixture.deliver("Old", unique: "1600000000", flags: nil)
        let (again, after) = try await open(store, "INBOX.Old")
        #expect(again.uidValidity == status.uidValidity)
        #expect(after.map(\.uid.rawValue) == [2, 3, 4])
        #expect(again.uidNext == 5)

        // INBOX of a POP3 user takes the POP3 list's UIDVALIDITY.
        try fixture.deliver(unique: "1600000009", flags: "S")
        try fixture.write("courierpop3dsizelist", "/3 1 1690000000\n")
        #expect(try await open(store, "INBOX").0.uidValidity == UIDValidity(1_690_000_000))

        // verify only reads: a store that does not update the ledger writes nothing.
        let other = try MaildirSyncFixture()
        defer { other.remove() }
        try other.deliver(unique: "1600000001", flags: "S")
        _ = try await open(other.courierStore(updatesLedger: false), "INBOX")
        #expect(!FileManager.default.fileExists(atPath: other.state))
    }

    @Test func courierConfirmingTheProvisionalUIDsIsAcceptedAndNumberingDifferentlyIsRefused() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let a = try fixture.deliver(unique: "1600000001", flags: "S")
        try fixture.write("courierimapuiddb", "1 700000000 5\n4 \(a)\n")
        let x = try fixture.deliver(unique: "1600000002", flags: nil)
        let y = try fixture.deliver(unique: "1600000003", flags: nil)
        let store = fixture.courierStore()
        #expect(try await open(store, "INBOX").1.map(\.uid.rawValue) == [4, 5, 6])

        // Courier scans (moving x and y to cur/) and gives them the same UIDs: nothing to say.
        for base in [x, y] { try FileManager.default.moveItem(atPath: "\(fixture.source)/new/\(base)", toPath: "\(fixture.source)/cur/\(base):2,") }
        try fixture.write("courierimapuiddb", "1 700000000 7\n4 \(a)\n5 \(x)\n6 \(y)\n")
        #expect(try await open(store, "INBOX").1.map(\.uid.rawValue) == [4, 5, 6])

        // z gets 7 from mailferry, is deleted (POP3) before Courier sees it, and Courier gives 7 to w.
        let z = try fixture.deliver(unique: "1600000004", flags: nil)
        #expect(try await open(store, "INBOX").1.map(\.uid.rawValue) == [4, 5, 6, 7])
        try FileManager.default.removeItem(atPath: "\(fixture.source)/new/\(z)")
        let w = try fixture.deliver(unique: "1600000005", flags: "S")
        try fixture.write("courierimapuiddb", "1 700000000 8\n4 \(a)\n5 \(x)\n6 \(y)\n7 \(w)\n")
        await #expect {
            _ = try await open(store, "INBOX")
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.kind == .folder && error.message.contains("Courier gave UID 7 to \(w)")
        }
    }
}
