import MailModel
import Testing
@testable import Maildir

/// maildir-formats.md §6, cases 14–17: subscriptions and folder names.
@Suite("§6 cases 14–17: subscriptions and folder names")
struct SectionSixFolderTests {
    @Test func case14SubscriptionsVersion1() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("courierimapsubscribed", "INBOX\nINBOX.Sent\ninbox.Drafts\nINBOX.Sent.2023\n")
        let report = try fixture.convert(layout: DovecotLayout(subscriptionsFormat: .version1))
        #expect(fixture.destination("subscriptions") == "INBOX\nSent\nDrafts\nSent.2023\n")
        #expect(report.subscriptionsWritten)
    }

    @Test func case14SubscriptionsVersion2() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("courierimapsubscribed", "INBOX\nINBOX.Sent\ninbox.Drafts\nINBOX.Sent.2023\n")
        _ = try fixture.convert(layout: DovecotLayout(subscriptionsFormat: .version2))
        #expect(fixture.destination("subscriptions") == "V\t2\n\nINBOX\nSent\nDrafts\nSent\t2023\n")
    }

    @Test func case15SharedAndTrailingSeparator() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("courierimapsubscribed", "#shared.firmwide.golf\nINBOX.Old.\n")
        let report = try fixture.convert()
        #expect(fixture.destination("subscriptions") == "Old\n")
        #expect(report.codes(.warning).contains(.sharedFolderSkipped))
        #expect(report.codes(.warning).contains(.subscriptionTrailingSeparator))
    }

    func utf8Folder(_ fixture: ConversionFixture) {
        fixture.sourceFolder(".Résumé")
        fixture.source(".Résumé/cur/1.a:2,S")
        fixture.source(".Résumé/courierimapuiddb", "1 700000100 2\n1 1.a\n")
        fixture.source("courierimapsubscribed", "INBOX.Résumé\n")
    }

    @Test func case16UTF8FolderToModifiedUTF7Target() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        utf8Folder(fixture)
        _ = try fixture.convert()
        #expect(fixture.destinationNames("").contains(".R&AOk-sum&AOk-"))
        #expect(!fixture.destinationNames("").contains(".Résumé"))
        #expect(fixture.destination(".R&AOk-sum&AOk-/dovecot-uidlist") == "3 V700000100 N2 M2\n1 :1.a\n")
        #expect(fixture.destination(".R&AOk-sum&AOk-/maildirfolder") == "")
        #expect(fixture.destination("subscriptions") == "R&AOk-sum&AOk-\n")
    }

    @Test func case16UTF8FolderToUTF8Target() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        utf8Folder(fixture)
        _ = try fixture.convert(layout: DovecotLayout(encoding: .utf8, subscriptionsFormat: .version1))
        #expect(fixture.destinationNames("").contains(".Résumé"))
        #expect(fixture.destination("subscriptions") == "Résumé\n")
    }

    @Test func case17LegacyModifiedUTF7AndLiteralAmpersand() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.sourceFolder(".R&AOk-sum&AOk-")
        fixture.sourceFolder(".AT&T")
        let utf8 = try fixture.convert(layout: DovecotLayout(encoding: .utf8))
        #expect(fixture.destinationNames("").filter { $0.hasPrefix(".") }.sorted() == [".AT&T", ".Résumé"])
        #expect(utf8.codes(.info).contains(.folderEncodingDetected))

        let second = ConversionFixture()
        defer { second.remove() }
        second.sourceFolder(".R&AOk-sum&AOk-")
        second.sourceFolder(".AT&T")
        _ = try second.convert(layout: DovecotLayout(encoding: .modifiedUTF7))
        #expect(second.destinationNames("").filter { $0.hasPrefix(".") }.sorted() == [".AT&-T", ".R&AOk-sum&AOk-"])
    }

    @Test func invalidFolderNamesAreReportedAndSkipped() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.sourceFolder(".a..b")
        fixture.sourceFolder(".Good")
        let report = try fixture.convert(decoding: .detect)
        #expect(report.codes(.error) == [.invalidFolderName])
        #expect(fixture.destinationNames("").filter { $0.hasPrefix(".") } == [".Good"])
    }
}
