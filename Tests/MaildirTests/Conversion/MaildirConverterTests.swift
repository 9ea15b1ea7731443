import MailModel
import Testing
@testable import Maildir

@Suite("Maildir converter")
struct MaildirConverterTests {
    @Test func dryRunPlansWithoutWritingAnything() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S")
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a\n")
        fixture.sourceFolder(".Sent")
        let converter = MaildirConverter(
            source: try CourierMaildir(root: fixture.sourceRoot), destinationRoot: fixture.destinationRoot, ownership: .currentProcess)
        let (plans, _) = try converter.plan()
        #expect(plans.map(\.levels) == [[], ["Sent"]])
        #expect(plans.first?.copies.count == 1)
        #expect(plans.first?.identity == .keep(uidValidity: UIDValidity(700_000_000), nextUID: UID(exactly: 2)))
        #expect(!fixture.directory.exists("D"))
    }

    @Test func brokenPOP3ListIsReportedAndIMAPStillConverts() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S")
        fixture.source("courierimapuiddb", "1 700000000 2\n1 1.a\n")
        fixture.source("courierpop3dsizelist", "/9 garbage\n")
        let report = try fixture.convert()
        #expect(report.failures.isEmpty)
        #expect(report.codes(.error) == [.uidDatabaseUnusable])
        #expect(fixture.destination("dovecot-uidlist") == "3 V700000000 N2 M2\n1 :1.a\n")
    }

    @Test func sourceThatIsNotAMaildirIsAClearError() {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        #expect {
            try CourierMaildir(root: directory.path("nothing"))
        } throws: { ($0 as? MaildirError)?.kind == .notAMaildir }
    }

    @Test func destinationWithoutHomeIsAClearError() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        let converter = MaildirConverter(
            source: try CourierMaildir(root: fixture.sourceRoot), destinationRoot: fixture.directory.path("no/such/home/Maildir"),
            ownership: .currentProcess)
        #expect { try converter.run() } throws: { ($0 as? MaildirError)?.kind == .notAMaildir }
    }
}
