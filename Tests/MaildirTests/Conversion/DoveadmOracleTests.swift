import Glibc
import MailModel
import Testing
@testable import Maildir

/// The converter's output read back by Debian's Dovecot 2.3 (`doveadm`): the "doveadm
/// check" column of maildir-formats.md §6.
@Suite("Conversion read back by real Dovecot", .tags(.doveadm), .enabled(if: DoveadmOracle.isAvailable), .serialized)
struct DoveadmOracleTests {
    func convert(_ fixture: ConversionFixture, layout: DovecotLayout, options: ConversionOptions = ConversionOptions()) throws -> DoveadmOracle {
        fixture.directory.makeDirectories(fixture.directory.path("home"))
        chownHome(fixture)
        let source = try CourierMaildir(root: fixture.sourceRoot)
        let converter = MaildirConverter(
            source: source, destinationRoot: fixture.directory.path("home/Maildir"), layout: layout,
            ownership: DoveadmOracle.ownership, options: options)
        let report = try converter.run()
        #expect(report.failures.isEmpty)
        return DoveadmOracle(directory: fixture.directory, maildir: fixture.directory.path("home/Maildir"), layout: layout)
    }

    func chownHome(_ fixture: ConversionFixture) {
        _ = fixture.directory.path("home").withCString { chown($0, DoveadmOracle.mailUID, DoveadmOracle.mailUID) }
    }

    @Test func uidsFlagsKeywordsDatesAndPOP3() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1700000000.M1P1.host,S=100:2,S", mtime: 1_600_000_000)
        fixture.source("cur/1700000001.M2P1.host,S=200:2,RS", mtime: 1_600_000_100)
        fixture.source("cur/1700000005.M6P1.host:2,", mtime: 1_600_000_200)
        fixture.source("new/1700000009.M9P1.host", mtime: 1_600_000_300)
        fixture.source("courierimapuiddb", "1 700000000 3\n1 1700000000.M1P1.host,S=100\n2 1700000001.M2P1.host,S=200\n")
        fixture.source("courierimapkeywords/:list", "$Label1\nJunk\njunk\n\n1700000000.M1P1.host,S=100:0 1 2\n")
        fixture.source(
            "courierpop3dsizelist",
            "/3 4 1690000000\n1700000000.M1P1.host,S=100:2,S 104 1:1690000000:0\n1700000001.M2P1.host,S=200:2,RS 204 2:1690000000:0\n1700000005.M6P1.host:2, 50 3:1690000000:0\n")
        let oracle = try convert(fixture, layout: .courierCompatible)
        let status = try oracle.status("INBOX")
        #expect(status["uidvalidity"] == "700000000")
        #expect(status["messages"] == "4")
        let rows = try oracle.fetch(["uid", "flags", "pop3.uidl", "date.received"], mailbox: "INBOX")
        #expect(rows.map { $0["uid"] } == ["1", "2", "3", "4"])
        #expect(rows.map { $0["flags"] } == ["\\Seen $Label1 Junk", "\\Answered \\Seen", "", "\\Recent"])
        #expect(rows.prefix(3).map { $0["pop3.uidl"] } == ["UID1-1690000000", "UID2-1690000000", "UID3-1690000000"])
        #expect(rows.first?["date.received"]?.hasPrefix("2020-09-13") == true)
        #expect(try oracle.status("INBOX")["uidnext"] == "5")
    }

    @Test func foldersSubscriptionsAndEmptyFolders() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.sourceFolder(".Résumé")
        fixture.source(".Résumé/cur/1.a:2,S")
        fixture.source(".Résumé/courierimapuiddb", "1 700000100 7\n6 1.a\n")
        fixture.sourceFolder(".Archive.2019")
        fixture.source(".Archive.2019/courierimapuiddb", "1 700000300 15\n")
        fixture.source("courierimapsubscribed", "INBOX\nINBOX.Résumé\nINBOX.Archive.2019\n#shared.x\n")
        // The testbed's namespace: separator '/', no prefix.
        let oracle = try convert(fixture, layout: DovecotLayout())
        #expect(try oracle.status("Résumé") == ["messages": "1", "uidvalidity": "700000100", "uidnext": "7"])
        #expect(try oracle.status("Archive/2019") == ["messages": "0", "uidvalidity": "700000300", "uidnext": "15"])
        #expect(Set(try oracle.subscribed()) == ["INBOX", "Résumé", "Archive/2019"])
    }

    @Test func moreThan26KeywordsStayValidForDovecot() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        var list = (0..<28).map { "kw\($0)\n" }.joined() + "\n"
        var db = "1 700000000 4\n"
        for uid in 1...3 {
            let name = "170000000\(uid).M\(uid)P1.host"
            fixture.source("cur/\(name):2,S")
            db += "\(uid) \(name)\n"
            list += "\(name):" + (uid < 3 ? (0..<26).map(String.init) : ["26", "27", "0"]).joined(separator: " ") + "\n"
        }
        fixture.source("courierimapuiddb", db)
        fixture.source("courierimapkeywords/:list", list)
        let oracle = try convert(fixture, layout: .courierCompatible)
        let rows = try oracle.fetch(["uid", "flags"], mailbox: "INBOX")
        let first = Set(rows[0]["flags"]!.split(separator: " ").map(String.init))
        #expect(first == Set(["\\Seen"] + (0..<26).map { "kw\($0)" }))
        #expect(rows[2]["flags"] == "\\Seen kw0")
    }
}
