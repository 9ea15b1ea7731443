import MailModel
import Testing
@testable import Maildir

/// Re-runs: what changed on the Courier side since the last run, and nothing else.
@Suite("Incremental conversion")
struct IncrementalConversionTests {
    @Test func provisionalUIDFollowsCourierWhenCourierNumbersDifferently() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S")
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a\n")
        fixture.source("new/5.late")
        let numbering = ConversionOptions(numberNewMessages: true)
        _ = try fixture.convert(options: numbering)
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N3 M3\n1 :1.a\n2 :5.late\n")

        // Before the final pass, Courier scanned after an earlier-stamped delivery arrived:
        // it gave 2 to that one and 3 to ours.
        unlinkSource(fixture, "new/5.late")
        fixture.source("cur/5.late:2,S")
        fixture.source("cur/4.early:2,")
        fixture.source("courierimapuiddb", "1 700000000 4\n1 1.a\n2 4.early\n3 5.late\n")
        let report = try fixture.convert(options: numbering)
        let folder = try #require(report.folders.first)
        #expect(folder.renumbered == 1 && folder.copied == 1 && folder.flagsUpdated == 1)
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N4 M4\n1 :1.a\n2 :4.early\n3 :5.late\n")
        #expect(fixture.destinationNames("cur") == ["1.a:2,S", "4.early:2,", "5.late:2,S"])
        #expect(fixture.destinationNames("new").isEmpty)
    }

    @Test func withoutFollowingCourierTheDifferenceIsAConflict() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,")
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a\n")
        fixture.source("cur/5.b:2,")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N3 M3\n1 :1.a\n2 :5.b\n")
        fixture.source("courierimapuiddb", "1 700000000 8\n1 1.a\n7 5.b\n")
        let report = try fixture.convert(options: ConversionOptions(followCourierRenumbering: false))
        #expect(report.codes(.error) == [.uidConflict])
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N8 M8\n1 :1.a\n2 :5.b\n")
    }

    @Test func duplicateBasesGetStableNamesAndAreCopiedOnce() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S", "first\n", mtime: 1_000)
        fixture.source("cur/1.a:2,RS", "second\n", mtime: 2_000)
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a\n")
        let first = try fixture.convert()
        #expect(first.codes(.warning).contains(.duplicateMessageBase))
        let names = fixture.destinationNames("cur")
        #expect(names.count == 2)
        #expect(names.contains { $0.hasPrefix("1.a-dup1:2,") })
        let uidlist = try #require(fixture.destination("dovecot-uidlist"))
        #expect(uidlist.hasPrefix("3 V700000000 N3 M3\n1 :1.a\n2 :1.a-dup1\n"))
        let again = try fixture.convert()
        #expect(again.folders.first?.copied == 0)
        #expect(fixture.destinationNames("cur") == names)
    }

    @Test func wrongSizeInTheNameIsCorrectedOnceAndKeptStable() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a,S=999:2,S", "twelve bytes")
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a,S=999\n")
        let first = try fixture.convert()
        #expect(first.codes(.warning).contains(.sizeMismatch))
        #expect(fixture.destinationNames("cur") == ["1.a,S=12:2,S"])
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N2 M2\n1 :1.a,S=12\n")
        let again = try fixture.convert()
        #expect(again.folders.first?.copied == 0 && again.folders.first?.unchanged == 1)
    }

    @Test func flagAndKeywordChangesAreRenamesOnly() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S")
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a\n")
        _ = try fixture.convert()
        let inode = try FileSystem.status(fixture.destinationRoot + "/cur/1.a:2,S")?.inode
        unlinkSource(fixture, "cur/1.a:2,S")
        fixture.source("cur/1.a:2,FPS")
        fixture.source("courierimapkeywords/1.a", "Later\n")
        let report = try fixture.convert()
        #expect(report.folders.first?.flagsUpdated == 1 && report.folders.first?.copied == 0)
        #expect(fixture.destinationNames("cur") == ["1.a:2,FPSa"])
        #expect(try FileSystem.status(fixture.destinationRoot + "/cur/1.a:2,FPSa")?.inode == inode)
        #expect(fixture.destination("dovecot-keywords") == "0 Later\n")
    }

    func unlinkSource(_ fixture: ConversionFixture, _ relative: String) {
        _ = try? FileSystem.remove(fixture.sourceRoot + "/" + relative)
    }
}
