import MailModel
import Testing
@testable import Maildir

@Suite("Maildir file names")
struct MaildirFilenameTests {
    @Test func parsesAllParts() {
        let name = MaildirFilename("1700000000.M1P1.host,S=2345,W=2400:2,FRSab,extra")
        #expect(name.base == "1700000000.M1P1.host,S=2345,W=2400")
        #expect(name.info == "2,FRSab,extra")
        #expect(name.sizeField == 2345)
        #expect(name.virtualSizeField == 2400)
        #expect(name.flags.description == "FRSab")
        #expect(name.flags.systemFlags == [.flagged, .answered, .seen])
        #expect(name.flags.keywordIndexes == [0, 1])
        #expect(name.extraInfo == "extra")
        #expect(name.hasStandardInfo)
    }

    @Test func nameWithoutInfo() {
        let name = MaildirFilename("1700000003.M4P1.host")
        #expect(name.base == "1700000003.M4P1.host")
        #expect(name.info == nil)
        #expect(name.flags == .empty)
        #expect(name.sizeField == nil)
        #expect(!name.hasStandardInfo)
    }

    @Test func experimentalInfoHasNoFlags() {
        #expect(MaildirFilename("x:1,abc").flags == .empty)
    }

    @Test func generatedFlagsAreInASCIIOrder() {
        let flags = MaildirFlagLetters(systemFlags: [.seen, .draft, .answered], keywordIndexes: [1, 0], otherLetters: Array("P".utf8))
        #expect(flags.description == "DPRSab")
        #expect(MaildirFilename(base: "b", flags: flags).rawValue == "b:2,DPRSab")
        #expect(MaildirFilename(base: "b", flags: .empty).rawValue == "b:2,")
        #expect(MaildirFilename("b:2,S,x").with(flags: MaildirFlagLetters("TS")).rawValue == "b:2,ST,x")
    }

    /// Non-ASCII bytes in the flags section are kept whole: sorted apart into invalid UTF-8,
    /// changing a message's flags would write U+FFFD into its name.
    @Test func flagsWithNonASCIIBytesSurviveAFlagChange() {
        let name = MaildirFilename("1.M1.host:2,F\u{42F}\u{431}S,x")
        #expect(name.flags.description == "FS")
        let reflagged = name.with(flags: name.flags)
        #expect(reflagged.rawValue == "1.M1.host:2,FS,x")
        #expect(!reflagged.rawValue.contains("\u{FFFD}"))
    }

    @Test func flagLettersNeverDoubleUp() {
        #expect(MaildirFlagLetters("SaaS").description == "Sa")
        #expect(MaildirFlagLetters("Sab").withoutKeywords.description == "S")
        #expect(MaildirFlagLetters("PSX").otherLetters == Array("PX".utf8))
    }

    @Test func sizeFieldReplacement() {
        #expect(MaildirFilename.base("1.M1.host,S=10", replacingSize: 12) == "1.M1.host,S=12")
        #expect(MaildirFilename.base("1.M1.host,S=10,W=11", replacingSize: 12) == "1.M1.host,S=12,W=11")
        #expect(MaildirFilename.base("1.M1.host", replacingSize: 12) == "1.M1.host,S=12")
    }

    /// A replaced size is read back whatever the unique part: empty (reader and writer must
    /// split alike),
    /// or ending in a character that joins the next one into one grapheme (U+0601, a
    /// prepended mark, then the `,` before `S=`), which hides the comma from a Character split.
    @Test(arguments: ["", ",x", ",,S=1", "7\u{0601}", "7\u{0601},S=10", "x,S=\u{0301}1"])
    func replacedSizeIsReadBackWhateverTheUniquePart(_ base: String) {
        let replaced = MaildirFilename.base(base, replacingSize: 4242)
        #expect(MaildirFilename(replaced).sizeField == 4242, "\(replaced.debugDescription)")
        #expect(replaced.utf8.starts(with: base.utf8.prefix { $0 != UInt8(ascii: ",") }), "the unique part is kept")
    }

    @Test(arguments: [
        ("1.M1.host,S=1", true), ("", false), (".hidden", false), ("a/b", false), ("a\nb", false), ("a\rb", false),
    ])
    func validity(_ name: String, _ valid: Bool) {
        #expect(MaildirFilename.isValid(name) == valid)
    }

    @Test func malformedSizeFieldsAreIgnored() {
        #expect(MaildirFilename("x,S=abc:2,").sizeField == nil)
        #expect(MaildirFilename("x,S=:2,").sizeField == nil)
        #expect(MaildirFilename("x,S=99999999999999999999").sizeField == nil)
    }

    @Test func uniqueNamesAreUniqueAndSafe() {
        let generator = MaildirUniqueName(hostname: "mail/x:y,z")
        let names = (0..<1000).map { _ in generator.next() }
        #expect(Set(names).count == 1000)
        #expect(names.allSatisfy { MaildirFilename.isValid($0) && !$0.contains(":") && !$0.contains(",") && !$0.contains("/") })
        #expect(names[0].hasSuffix(".mail\\057x\\072y\\054z"))
    }
}
