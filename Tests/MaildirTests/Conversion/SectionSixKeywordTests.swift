import MailModel
import Testing
@testable import Maildir

/// maildir-formats.md §6, cases 7–13: keywords.
@Suite("§6 cases 7–13: keywords")
struct SectionSixKeywordTests {
    let m1 = "1700000000.M1P1.host,S=100"
    let m2 = "1700000001.M2P1.host,S=200"

    func base(_ fixture: ConversionFixture) {
        fixture.source("cur/\(m1):2,S")
        fixture.source("cur/\(m2):2,RS")
        fixture.source("courierimapuiddb", "1 700000000 3\n1 \(m1)\n2 \(m2)\n")
    }

    @Test func case7KeywordsFromListOnly() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        base(fixture)
        fixture.source("courierimapkeywords/:list", "$Label1\nJunk\n\n\(m1):0 1\n")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-keywords") == "0 $Label1\n1 Junk\n")
        #expect(fixture.destinationNames("cur") == ["\(m1):2,Sab", "\(m2):2,RS"])
    }

    @Test func case8PlainUpdateOverridesList() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        base(fixture)
        fixture.source("courierimapkeywords/:list", "$Label1\nJunk\n\n\(m1):0 1\n")
        fixture.source("courierimapkeywords/\(m1)", "NonJunk\n")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-keywords") == "0 NonJunk\n")
        #expect(fixture.destinationNames("cur").first == "\(m1):2,Sa")
    }

    @Test func case9LargestAgedUpdateWins() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        base(fixture)
        fixture.source("courierimapkeywords/.5.\(m2)", "$Label1\n")
        fixture.source("courierimapkeywords/.3.\(m2)", "Junk\n")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-keywords") == "0 $Label1\n")
        #expect(fixture.destinationNames("cur").last == "\(m2):2,RSa")
    }

    @Test func case10EmptyUpdateClearsKeywords() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        base(fixture)
        fixture.source("courierimapkeywords/:list", "Junk\n\n\(m1):0\n")
        fixture.source("courierimapkeywords/\(m1)", "")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-keywords") == nil)
        #expect(fixture.destinationNames("cur") == ["\(m1):2,S", "\(m2):2,RS"])
    }

    @Test func case11TmpFileIsIgnored() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        base(fixture)
        fixture.source("courierimapkeywords/:list", "Junk\n\n\(m1):0\n")
        fixture.source("courierimapkeywords/.tmp.1700000000xyz", "evil\n")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-keywords") == "0 Junk\n")
    }

    @Test func case12MoreThan26KeywordsAreReportedPerMessage() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        // kw0…kw25 are on three messages each, kw26 and kw27 on one message each.
        var db = "1 700000000 6\n"
        var list = (0..<28).map { "kw\($0)\n" }.joined() + "\n"
        for uid in 1...5 {
            let name = "170000000\(uid).M\(uid)P1.host"
            fixture.source("cur/\(name):2,S")
            db += "\(uid) \(name)\n"
            let indexes: [Int] = uid <= 3 ? Array(0..<26) : (uid == 4 ? [26] : [27])
            list += "\(name):" + indexes.map(String.init).joined(separator: " ") + "\n"
        }
        fixture.source("courierimapuiddb", db)
        fixture.source("courierimapkeywords/:list", list)
        let report = try fixture.convert()
        let keywords = fixture.destination("dovecot-keywords") ?? ""
        #expect(keywords.split(separator: "\n").count == 26)
        #expect(keywords.split(separator: "\n").map { $0.split(separator: " ")[0] } == (0..<26).map { Substring(String($0)) })
        #expect(!keywords.contains("kw26") && !keywords.contains("kw27"))
        for name in fixture.destinationNames("cur") {
            let flags = name.split(separator: ",").last!
            #expect(flags.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) })
        }
        let folder = try #require(report.folders.first)
        #expect(folder.unstorableKeywords == ["1700000004.M4P1.host": ["kw26"], "1700000005.M5P1.host": ["kw27"]])
        let reported = report.allDiagnostics.filter { $0.code == .keywordNotStorable }
        #expect(Set(reported.compactMap(\.messageBase)) == ["1700000004.M4P1.host", "1700000005.M5P1.host"])
    }

    @Test func case13CaseVariantsMerge() throws {
        let fixture = ConversionFixture()
        defer { fixture.remove() }
        base(fixture)
        fixture.source("courierimapkeywords/:list", "Junk\njunk\n\n\(m1):0\n\(m2):1\n")
        _ = try fixture.convert()
        #expect(fixture.destination("dovecot-keywords") == "0 Junk\n")
        #expect(fixture.destinationNames("cur") == ["\(m1):2,Sa", "\(m2):2,RSa"])
    }
}
