import MailModel
import Testing
@testable import Maildir

@Suite("Maildir converter: identity changes")
struct MaildirConverterIdentityTests {
    @Test func overwriteAdoptsExistingFilesUnderTheNewUIDValidity() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S")
        fixture.source("cur/2.b:2,")
        fixture.source("courierimapuiddb", "1 700000000 3\n1 1.a\n2 2.b\n")
        _ = try fixture.convert()
        // Courier lost its database and rebuilt it: new UIDVALIDITY, new UIDs.
        fixture.source("courierimapuiddb", "1 700009999 3\n1 2.b\n2 1.a\n")
        fixture.directory.write("D/dovecot.index", "cache")
        fixture.directory.write("D/dovecot.list.index", "cache")
        let refused = try fixture.convert()
        #expect(!refused.succeeded)
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N3 M3\n1 :1.a\n2 :2.b\n")
        let report = try fixture.convert(options: ConversionOptions(overwrite: true))
        #expect(report.succeeded)
        #expect(report.folders.first?.adopted == 2 && report.folders.first?.copied == 0)
        #expect(fixture.destination("dovecot-uidlist") == "3 V700009999 N3 M3\n1 :2.b\n2 :1.a\n")
        #expect(!fixture.directory.exists("D/dovecot.index") && !fixture.directory.exists("D/dovecot.list.index"))
        #expect(fixture.destinationNames("cur") == ["1.a:2,S", "2.b:2,"])
    }

    @Test func sameFolderInBothEncodingsIsReportedNotMerged() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.sourceFolder(".Résumé")
        fixture.sourceFolder(".R&AOk-sum&AOk-")
        fixture.source(".Résumé/cur/1.a:2,S")
        fixture.source(".R&AOk-sum&AOk-/cur/2.b:2,S")
        let report = try fixture.convert()
        #expect(report.codes(.error) == [.invalidFolderName])
        #expect(report.folders.map(\.levels) == [[], ["Résumé"]])
        #expect(fixture.destinationNames(".R&AOk-sum&AOk-/cur").count == 1)
    }
}
