import Foundation
import MailModel
import SyncBackends
import SyncEngine
import Testing
import Verify

/// The UID-keeping writer while the mirror delivers tagged copies to the new Dovecot (issue 16,
/// "Mirror copies and kept UIDs"): the copies never take a UID the source's mail needs.
@Suite struct DovecotMaildirStoreMirrorCopiesTests {
    static let tag = "X-Mailferry-Mirror: q1; mac=good"
    static let reserve: UInt32 = 100

    /// A stand-in for the mirror's HMAC check: exactly the header line `tag`.
    static let copies = MirrorCopies(uidReserve: reserve) { header in
        String(decoding: header, as: UTF8.self).split(whereSeparator: \.isNewline).contains { $0 == tag }
    }

    func mirrorStore(_ fixture: MaildirSyncFixture) -> DovecotMaildirStore {
        var store = fixture.dovecotStore()
        store.mirrorCopies = Self.copies
        return store
    }

    /// What Dovecot's LMTP leaves when it delivers copies `uids` into INBOX: the files and
    /// their records, and the next UID past them. `validity` creates the uid list (as the
    /// first delivery into a new mailbox does) when given.
    func dovecotDelivers(_ fixture: MaildirSyncFixture, uids: [UInt32], tagged: [Bool]? = nil, validity: UInt32? = nil) throws {
        let path = fixture.destination + "/dovecot-uidlist"
        var lines: [String]
        if let validity {
            try FileManager.default.createDirectory(atPath: fixture.destination + "/tmp", withIntermediateDirectories: true)
            lines = ["3 V\(validity) N1 G0123456789abcdef0123456789abcdef"]
        } else {
            lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        for (index, uid) in uids.enumerated() {
            let isCopy = tagged?[index] ?? true
            let body = "From: s@example.test\nSubject: copy \(uid)\n" + (isCopy ? Self.tag + "\n" : "") + "\nbody \(uid)\n"
            let base = "1700000\(uid).M\(uid)P9.newhost,S=\(body.utf8.count)"
            try fixture.write(fixture.destination + "/cur/\(base):2,", Array(body.utf8))
            lines.append("\(uid) :\(base)")
        }
        var header = lines[0].split(separator: " ").map(String.init)
        let index = header.firstIndex { $0.hasPrefix("N") }!
        header[index] = "N\(max(UInt32(header[index].dropFirst())!, uids.max()! + 1))"
        lines[0] = header.joined(separator: " ")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `mirror purge` through Dovecot: the copies' files go; their records stay in
    /// `dovecot-uidlist` until Dovecot's next sync of the folder.
    func purgeCopies(_ fixture: MaildirSyncFixture) throws {
        let cur = fixture.destination + "/cur"
        for name in try FileManager.default.contentsOfDirectory(atPath: cur) where name.contains(".newhost") {
            try FileManager.default.removeItem(atPath: cur + "/" + name)
        }
    }

    func header(_ fixture: MaildirSyncFixture) -> [String] {
        fixture.uidlist().split(separator: "\n").first.map { $0.split(separator: " ").map(String.init) } ?? []
    }

    @Test func aFolderDovecotCreatedForCopiesIsAdoptedAndTheFinalPassIsNotRefused() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        for index in 1...3 { _ = try fixture.deliver(unique: "170000000\(index)") }
        // The first copies arrived before the first sync: Dovecot created INBOX with its own UIDVALIDITY.
        try dovecotDelivers(fixture, uids: [1, 2], validity: 1_765_000_000)

        // Without the mirror's key, the folder is refused as before (clients would re-download it).
        let plain = try await fixture.sync()
        #expect(plain.outcome != .complete)
        #expect(fixture.uidlist().hasPrefix("3 V1765000000 "))

        let presync = try await fixture.sync(destination: mirrorStore(fixture))
        #expect(presync.outcome == .complete, "\(presync.folders.compactMap(\.error))")
        // The run's report says so (the summary's text and --json carry it).
        #expect(presync.adoptedFolders == 1 && presync.folders.first?.adoptedMirrorCopies == 2)
        let validity = try #require(header(fixture).first { $0.hasPrefix("V") })
        #expect(validity != "V1765000000")
        // The copies were kept, renumbered above the reserve; the source's messages have 1...3.
        let records = fixture.uidlist().split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) }
        #expect(records == ["1", "2", "3", "104", "105"])

        // While the mirror runs, Dovecot numbers new copies from its next UID: above the reserve.
        let next = try #require(header(fixture).first { $0.hasPrefix("N") }.flatMap { UInt32($0.dropFirst()) })
        #expect(next >= 4 + Self.reserve)
        try dovecotDelivers(fixture, uids: [next, next + 1])
        for index in 4...5 { _ = try fixture.deliver(unique: "170000000\(index)") }
        try purgeCopies(fixture)

        let final = try await fixture.sync(destination: mirrorStore(fixture))
        #expect(final.outcome == .complete, "\(final.folders.compactMap(\.error))")
        #expect(final.copied == 2)
        #expect(final.adoptedFolders == 0)
        let verified = await fixture.verify()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(5)) \(verified.error ?? "")")
    }

    @Test func aFolderLeftWithOnlyTheRecordsOfPurgedCopiesIsAdopted() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        _ = try fixture.deliver(unique: "1700000001")
        try dovecotDelivers(fixture, uids: [1, 2], validity: 1_765_000_000)
        try purgeCopies(fixture)
        #expect(try await fixture.sync().outcome != .complete, "without the key: refused, as before")
        let report = try await fixture.sync(destination: mirrorStore(fixture))
        #expect(report.outcome == .complete, "\(report.folders.compactMap(\.error))")
        #expect(!fixture.uidlist().hasPrefix("3 V1765000000 "))
        let verified = await fixture.verify()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(5)) \(verified.error ?? "")")
    }

    @Test func aFolderWithAnythingButVerifiedCopiesIsStillRefused() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        _ = try fixture.deliver(unique: "1700000001")
        try dovecotDelivers(fixture, uids: [1, 2], tagged: [true, false], validity: 1_765_000_000)
        let report = try await fixture.sync(destination: mirrorStore(fixture))
        #expect(report.outcome != .complete)
        #expect(report.folders.compactMap(\.error).contains { $0.contains("--overwrite-uidvalidity") })
        #expect(fixture.uidlist().hasPrefix("3 V1765000000 "))
        #expect(fixture.destinationFiles().count == 2)
    }

    /// A presync with a settle window leaves the mail of the last seconds that Courier has not
    /// numbered: the report counts it and the run is not "complete" (verify would find it
    /// missing); the next run without the window copies it and is.
    @Test func mailInTheSettleWindowIsDeferredAndTheRunIsNotComplete() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        for index in 1...2 { _ = try fixture.deliver(unique: "170000000\(index)", flags: nil) }
        _ = try fixture.deliver(unique: "\(Int(Date().timeIntervalSince1970))", flags: nil)
        let presync = try await fixture.sync(destination: mirrorStore(fixture), settleSeconds: 3600)
        #expect(presync.outcome == .deferred)
        #expect(presync.copied == 2 && presync.deferred == 1 && presync.folders.first?.deferred == 1)
        let final = try await fixture.sync(destination: mirrorStore(fixture))
        #expect(final.outcome == .complete && final.copied == 1 && final.deferred == 0)
        let verified = await fixture.verify()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(5)) \(verified.error ?? "")")
    }
}
