import MailModel
import Testing

@Suite struct FlagTests {
    @Test func comparesCaseInsensitivelyButKeepsSpelling() {
        #expect(Flag("\\SEEN") == .seen)
        #expect(Set([Flag("NonJunk"), Flag("nonjunk")]).count == 1)
        #expect(Flag("$Label1").stringValue == "$Label1")
    }

    /// Equal flags hash alike, whichever way they are spelt; letters outside ASCII fold too.
    @Test(arguments: [("$LABEL1", "$label1"), ("\\Answered", "\\ANSWERED"), ("Wichtig-ÄÖÜ", "wichtig-äöü"), ("nonjunk", "nonjunk")])
    func foldsCaseForEqualityAndHashing(spelling: String, other: String) {
        #expect(Flag(spelling) == Flag(other))
        #expect(Flag(spelling).hashValue == Flag(other).hashValue)
        #expect(Flag(spelling).stringValue == spelling)
        #expect(Flag(spelling) != Flag(other + "x"))
    }

    @Test(arguments: [("$Forwarded", true), ("NonJunk", true), ("has space", false), ("a(b", false),
                      ("", false), ("ü", false), ("\\Seen", false)])
    func validatesKeywordSyntax(keyword: String, valid: Bool) {
        #expect(Flag(keyword).isValidKeyword == valid)
    }

    @Test func systemAndKeyword() {
        #expect(Flag.seen.isSystemFlag)
        #expect(Flag("$Label1").isKeyword)
    }
}
