import Foundation
import MailModel
import SyncBackends
import SyncEngine
import Testing
import Verify

/// Courier Maildir → Dovecot Maildir through the sync engine, on trees built by code: every
/// message keeps its UID, flags, keywords and date, each folder its UIDVALIDITY and next
/// UID, INBOX its POP3 UIDLs; re-runs are incremental; the source is never touched.
@Suite struct MaildirSyncTests {
    /// INBOX with a Courier UID database, a message Courier has not recorded yet, one in
    /// new/, keywords and a POP3 list; a folder with a database; an empty folder with one;
    /// a folder Courier never opened (no database).
    func courierAccount(_ fixture: MaildirSyncFixture) throws -> (a: String, b: String, c: String, d: String) {
        let a = try fixture.deliver(unique: "1700000001", flags: "S")
        let b = try fixture.deliver(unique: "1700000002", flags: "RS", mtime: 1_600_000_000)
        let d = try fixture.deliver(unique: "1700000004", flags: "F")
        let c = try fixture.deliver(unique: "1700000003", flags: nil)
        try fixture.write("courierimapuiddb", "1 700000000 10\n3 \(a)\n5 \(b)\n")
        try fixture.write("courierimapkeywords/:list", "$Label1\nJunk\n\n\(a):0 1\n\(d):1\n")
        try fixture.write("courierpop3dsizelist", "/3 3 1690000000\n\(a):2,S 310 1:1690000000:0\n\(b):2,RS 310 2:1690000000:0\n")
        try fixture.folder("Sent")
        let s1 = try fixture.deliver("Sent", unique: "1700000010", flags: "S")
        let s2 = try fixture.deliver("Sent", unique: "1700000011", flags: "S")
        try fixture.write(".Sent/courierimapuiddb", "1 700000001 3\n1 \(s1)\n2 \(s2)\n")
        try fixture.folder("Empty")
        try fixture.write(".Empty/courierimapuiddb", "1 700000300 15\n")
        try fixture.folder("Entwürfe")
        try fixture.deliver("Entwürfe", unique: "1700000020", flags: "DS")
        try fixture.write("courierimapsubscribed", "INBOX\nINBOX.Sent\nINBOX.Entwürfe\n")
        return (a, b, c, d)
    }

    @Test func everythingArrivesWithItsUIDFlagsKeywordsDateAndPOP3UIDL() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let (a, b, c, d) = try courierAccount(fixture)
        let before = try SourceTreeSnapshot(fixture.source)

        let report = try await fixture.sync()
        #expect(report.outcome == .complete, "\(report.error ?? "") \(report.folders.compactMap(\.error)) \(report.problems)")
        #expect(report.copied == 7)
        #expect(report.subscriptionsAdded == 3)

        // Courier's UIDs; the unrecorded cur/ file and the new/ file get 10 and 11 in Courier's order.
        let inbox = fixture.uidlist()
        #expect(inbox.hasPrefix("3 V700000000 N12 M12\n"))
        let uids = inbox.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.flatMap { Int($0) } }
        #expect(uids == [3, 5, 10, 11], "\(a) \(b) \(c) \(d)")
        #expect(inbox.contains("3 O1 PUID1-1690000000 :"))
        #expect(inbox.contains("5 O2 PUID2-1690000000 :"))
        #expect(fixture.uidlist("Sent").hasPrefix("3 V700000001 N3 M3\n"))
        #expect(fixture.uidlist("Empty") == "3 V700000300 N15 M15\n")
        #expect(fixture.uidlist("Entw&APw-rfe").hasPrefix("3 V"))

        let keywords = try String(contentsOfFile: fixture.destination + "/dovecot-keywords", encoding: .utf8)
        #expect(Set(keywords.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1)[1] }) == ["$Label1", "Junk"])
        let subscriptions = try String(contentsOfFile: fixture.destination + "/subscriptions", encoding: .utf8)
        #expect(subscriptions.hasPrefix("V\t2\n\n"))
        #expect(Set(subscriptions.split(separator: "\n").dropFirst()) == ["INBOX", "Sent", "Entw&APw-rfe"])

        let verified = await fixture.verify()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(5)) \(verified.error ?? "")")
        #expect(verified.matched == 7)
        // The date is the file's mtime on both sides.
        let copyOfB = try #require(fixture.destinationFiles().first { $0.contains(":2,RS") })
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.destination + "/cur/" + copyOfB)
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1_600_000_000)

        #expect(try SourceTreeSnapshot(fixture.source) == before, "the source Maildir was changed")
    }

    @Test func aReRunCopiesOnlyNewMailAndCarriesFlagChangesByRenaming() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let (a, _, _, _) = try courierAccount(fixture)
        #expect(try await fixture.sync().outcome == .complete)
        let unchanged = try await fixture.sync()
        #expect(unchanged.outcome == .complete)
        #expect(unchanged.copied == 0)
        #expect(unchanged.folders.allSatisfy { $0.flagsUpdated == 0 })

        try fixture.setFlags(base: a, flags: "FRS")
        try fixture.write("courierimapkeywords/" + a, "NonJunk\n")
        let e = try fixture.deliver(unique: "1700000030", flags: nil)
        let second = try await fixture.sync()
        #expect(second.outcome == .complete)
        #expect(second.copied == 1)
        #expect(second.folders.first { $0.sourceFolder == "INBOX" }?.flagsUpdated == 1)
        #expect(fixture.uidlist().hasPrefix("3 V700000000 N13 M13\n"))
        #expect(fixture.uidlist().contains("12 :"))
        let renamed = fixture.destinationFiles().filter { $0.contains(":2,FRS") }
        #expect(renamed.count == 1, "\(fixture.destinationFiles())")
        #expect(fixture.destinationFiles().count == 5)
        #expect(!e.isEmpty)

        let verified = await fixture.verify()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(5))")
        #expect(try await fixture.sync().copied == 0)
    }

    @Test func moreThan26KeywordsAreReportedForEachMessageThatLosesOne() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        var list = (0..<28).map { String(format: "kw%02d", $0) }.joined(separator: "\n") + "\n\n"
        var lines = "1 700000000 29\n"
        for index in 0..<28 {
            let base = try fixture.deliver(unique: "\(1_700_000_100 + index)", flags: "S")
            list += "\(base):\(index)\n"
            lines += "\(index + 1) \(base)\n"
        }
        try fixture.write("courierimapkeywords/:list", list)
        try fixture.write("courierimapuiddb", lines)

        let report = try await fixture.sync()
        #expect(report.copied == 28)
        let refused = try #require(report.folders.first { $0.sourceFolder == "INBOX" }?.refusedKeywords)
        #expect(refused.map(\.uid.rawValue).sorted() == [27, 28])
        #expect(Set(refused.map(\.keyword.stringValue)) == ["kw26", "kw27"])
        let keywords = try String(contentsOfFile: fixture.destination + "/dovecot-keywords", encoding: .utf8)
        #expect(keywords.split(separator: "\n").count == 26)
        #expect(fixture.destinationFiles().allSatisfy { name in
            name.split(separator: ":").last.map { $0.dropFirst(2).allSatisfy { $0.isLetter && $0.isASCII } } ?? false
        })
        // Verify names exactly the two keywords that are missing, nothing else.
        let verified = await fixture.verify()
        #expect(verified.isIntact)
        #expect(verified.count(.flagsDiffer) == 2)
    }

    /// `sync --dry-run` reports what it would copy and writes nothing: no destination, and no
    /// UIDs given ahead of Courier in the state directory.
    @Test func aDryRunWritesNeitherTheDestinationNorTheUIDLedger() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        _ = try courierAccount(fixture)
        let before = try SourceTreeSnapshot(fixture.source)
        let (status, output) = try await MailferryProcess.run(
            ["sync", "--dry-run", "--from", "maildir:" + fixture.source, "--to", "maildir:" + fixture.destination,
             "--owner", "\(getuid()):\(getgid())", "--state", fixture.state, "--quiet"],
            logDirectory: fixture.root + "/logs")
        #expect(status == 0, "\(output)")
        #expect(output.contains("INBOX"))
        #expect(!FileManager.default.fileExists(atPath: fixture.destination))
        #expect(!FileManager.default.fileExists(atPath: fixture.state + "/maildir-uids"))
        #expect(try SourceTreeSnapshot(fixture.source) == before)
    }
}
