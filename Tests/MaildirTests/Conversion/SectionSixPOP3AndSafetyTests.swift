import MailModel
import Testing
@testable import Maildir

/// maildir-formats.md §6, cases 18–20: POP3 UIDLs, safety and idempotence.
@Suite("§6 cases 18–20: POP3, safety, idempotence")
struct SectionSixPOP3AndSafetyTests {
    let case1DB = "1 700000000 3\n1 1700000000.M1P1.host,S=100\n2 1700000001.M2P1.host,S=200\n"

    func case1(_ fixture: ConversionFixture) {
        fixture.source("cur/1700000000.M1P1.host,S=100:2,S")
        fixture.source("cur/1700000001.M2P1.host,S=200:2,RS")
        fixture.source("courierimapuiddb", case1DB)
    }

    @Test func case18POP3Version3() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        case1(fixture)
        fixture.source("cur/1700000005.M6P1.host:2,")
        fixture.source(
            "courierpop3dsizelist",
            "/3 4 1690000000\n1700000000.M1P1.host,S=100:2,S 104 1:1690000000:0\n1700000001.M2P1.host,S=200:2,RS 204 2:1690000000:0\n1700000005.M6P1.host:2, 50 3:1690000000:0\n")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-uidlist") == """
            3 V700000000 N4 M4
            1 O1 PUID1-1690000000 :1700000000.M1P1.host,S=100
            2 O2 PUID2-1690000000 :1700000001.M2P1.host,S=200
            3 O3 PUID3-1690000000 :1700000005.M6P1.host

            """)
    }

    @Test(arguments: [
        ("1.f1:2,S", "/1 3\n1.f1:2,S 10 1\n", "UID1"),
        ("1.a+b\"c:2,S", "1.a+b\"c:2,S 10\n", "1.a+2Bb+22c"),
        ("1.f:2,", "/2 8 0\n1.f:2, 10 7:0\n", "UID7"),
    ])
    func case19LegacyPOP3Versions(_ file: String, _ list: String, _ uidl: String) throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/" + file)
        fixture.source("courierimapuiddb", "1 700000000 2\n1 \(MaildirFilename(file).base)\n")
        fixture.source("courierpop3dsizelist", list)
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N2 M2\n1 O1 P\(uidl) :\(MaildirFilename(file).base)\n")
    }

    @Test func pop3RecordWithoutColonDoesNotMatchAFlaggedFile() throws {
        // Courier's cmpmsgs: "f" and "f:2," are different messages.
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.f:2,")
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.f\n")
        fixture.source("courierpop3dsizelist", "/2 8 0\n1.f 10 7:0\n")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N2 M2\n1 :1.f\n")
    }

    @Test func case20aDifferentUIDValidityIsRefusedAndNothingChanges() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        case1(fixture)
        fixture.directory.maildir("D")
        fixture.directory.write("D/dovecot-uidlist", "3 V1700000000 N2 G07703f22bf6c0b6b1e5a000083ecc375\n1 :x\n")
        fixture.directory.write("D/dovecot.index", "index")
        let report = try fixture.convert()
        #expect(!report.succeeded)
        #expect(report.codes(.error).contains(.uidConflict))
        #expect(fixture.destination("dovecot-uidlist") == "3 V1700000000 N2 G07703f22bf6c0b6b1e5a000083ecc375\n1 :x\n")
        #expect(fixture.destinationNames("cur").isEmpty)
        #expect(fixture.destination("dovecot.index") == "index")
    }

    @Test func case20bEmptyFolderKeepsItsIdentity() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.sourceFolder(".Empty")
        fixture.source(".Empty/courierimapuiddb", "1 700000300 15\n")
        _ = try fixture.convert()
        #expect(fixture.destination(".Empty/dovecot-uidlist") == "3 V700000300 N15 M15\n")
    }

    @Test func case20cBrokenDatabaseIsReportedAndNoUIDsAreInvented() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1700000000.M1P1.host,S=100:2,S")
        fixture.source("courierimapuiddb", "")
        fixture.source("courierpop3dsizelist", "/3 2 1690000000\n1700000000.M1P1.host,S=100:2,S 104 1:1690000000:0\n")
        let report = try fixture.convert()
        #expect(report.codes(.error).contains(.uidDatabaseUnusable))
        #expect(fixture.destination("dovecot-uidlist") == nil)
        #expect(fixture.destinationNames("cur") == ["1700000000.M1P1.host,S=100:2,S"])

        // Told to, it renumbers as Courier would and keeps the POP3 UIDL.
        let again = try fixture.convert(options: ConversionOptions(unusableDatabase: .renumber))
        #expect(again.succeeded)
        #expect(fixture.destination("dovecot-uidlist") == "3 V1690000000 N2 M2\n1 O1 PUID1-1690000000 :1700000000.M1P1.host,S=100\n")
    }

    @Test func case20dOverwriteRerunIsByteIdenticalAndDropsIndexes() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        case1(fixture)
        fixture.source("courierimapkeywords/:list", "Junk\n\n1700000000.M1P1.host,S=100:0\n")
        fixture.source("courierimapsubscribed", "INBOX\n")
        _ = try fixture.convert()
        let files = ["dovecot-uidlist", "dovecot-keywords", "subscriptions"]
        let first = files.map { fixture.destination($0) }
        let names = fixture.destinationNames("cur")
        for index in ["dovecot.index", "dovecot.index.log", "dovecot.index.cache", "dovecot.list.index", "dovecot.list.index.log"] {
            fixture.directory.write("D/" + index, "cache")
        }
        let report = try fixture.convert(options: ConversionOptions(overwrite: true))
        #expect(report.succeeded)
        #expect(files.map { fixture.destination($0) } == first)
        #expect(fixture.destinationNames("cur") == names)
        #expect(names.contains("1700000000.M1P1.host,S=100:2,Sa"))
        #expect(!fixture.destinationNames("").contains { $0.hasPrefix("dovecot.index") || $0.hasPrefix("dovecot.list.index") })
        #expect(report.folders.first?.copied == 0)
        #expect(report.folders.first?.indexFilesRemoved.count == 5)
    }

    @Test func plainRerunChangesNothing() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        case1(fixture)
        _ = try fixture.convert()
        let before = try FileSystem.status(fixture.destinationRoot + "/dovecot-uidlist")
        fixture.directory.write("D/dovecot.index", "cache")
        let report = try fixture.convert()
        #expect(report.folders.first?.copied == 0)
        #expect(report.folders.first?.unchanged == 2)
        #expect(try FileSystem.status(fixture.destinationRoot + "/dovecot-uidlist") == before)
        #expect(fixture.destination("dovecot.index") == "cache")
    }
}
