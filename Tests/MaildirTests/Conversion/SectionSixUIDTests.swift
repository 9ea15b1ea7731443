import MailModel
import Testing
@testable import Maildir

/// maildir-formats.md §6, cases 1–6: UIDs and UIDVALIDITY.
@Suite("§6 cases 1–6: UIDs")
struct SectionSixUIDTests {
    let case1DB = "1 700000000 3\n1 1700000000.M1P1.host,S=100\n2 1700000001.M2P1.host,S=200\n"
    let case1List = "3 V700000000 N3 M3\n1 :1700000000.M1P1.host,S=100\n2 :1700000001.M2P1.host,S=200\n"

    func case1(_ fixture: ConversionFixture) {
        fixture.source("cur/1700000000.M1P1.host,S=100:2,S", mtime: 1_700_000_000)
        fixture.source("cur/1700000001.M2P1.host,S=200:2,RS", mtime: 1_700_000_001)
        fixture.source("courierimapuiddb", case1DB)
    }

    @Test func case1BasicUIDAndUIDValidity() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        case1(fixture)
        let report = try fixture.convert()
        #expect(report.succeeded)
        #expect(fixture.destination("dovecot-uidlist") == case1List)
        #expect(fixture.destinationNames("cur") == ["1700000000.M1P1.host,S=100:2,S", "1700000001.M2P1.host,S=200:2,RS"])
        #expect(fixture.destination("cur/1700000000.M1P1.host,S=100:2,S") == ConversionFixture.body(size: 100, seed: "1700000000.M1P1.host,S=100"))
        // INTERNALDATE is the mtime: kept.
        let status = try FileSystem.status(fixture.destinationRoot + "/cur/1700000001.M2P1.host,S=200:2,RS")
        #expect(status?.modificationSeconds == 1_700_000_001)
        #expect(fixture.destination("dovecot-keywords") == nil)
        #expect(report.folders.first?.copied == 2)
    }

    @Test func case2GapsAreKept() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        for name in ["1.a", "2.b", "3.c"] { fixture.source("cur/\(name):2,") }
        fixture.source("courierimapuiddb", "1 700000000 9\n1 1.a\n4 2.b\n8 3.c\n")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N9 M9\n1 :1.a\n4 :2.b\n8 :3.c\n")
    }

    @Test func case3NextUIDTooLowIsRaised() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        for name in ["1.a", "2.b", "3.c"] { fixture.source("cur/\(name):2,") }
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a\n3 2.b\n5 3.c\n")
        let report = try fixture.convert()
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N6 M6\n1 :1.a\n3 :2.b\n5 :3.c\n")
        #expect(report.codes(.warning).contains(.nextUIDRaised))
    }

    @Test func case4UnorderedLinesAreSorted() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        for name in ["a", "b", "c"] { fixture.source("cur/\(name):2,") }
        fixture.source("courierimapuiddb", "1 700000000 6\n5 b\n1 a\n3 c\n")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N6 M6\n1 :a\n3 :c\n5 :b\n")
    }

    @Test func case5NewMessageIsLeftForDovecot() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        case1(fixture)
        fixture.source("new/1700000003.M4P1.host")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-uidlist") == case1List)
        #expect(fixture.destinationNames("new") == ["1700000003.M4P1.host"])
        #expect(fixture.destinationNames("cur").count == 2)
    }

    @Test func case5WithNumberingNewMessagesAsCourierWould() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        case1(fixture)
        fixture.source("new/1700000003.M4P1.host")
        _ = try fixture.convert(options: ConversionOptions(numberNewMessages: true))
        #expect(fixture.destination("dovecot-uidlist") == case1List.replacingOccurrences("N3 M3", "N4 M4") + "3 :1700000003.M4P1.host\n")
        #expect(fixture.destinationNames("new") == ["1700000003.M4P1.host"])
    }

    @Test func case6MissingFileIsDroppedButItsUIDNeverReused() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S")
        fixture.source("courierimapuiddb", "1 700000000 10\n1 1.a\n9 gone.host\n")
        let report = try fixture.convert()
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N10 M10\n1 :1.a\n")
        #expect(report.codes(.info).contains(.staleDatabaseEntry))
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
