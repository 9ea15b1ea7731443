import MailModel
import Testing

@Suite struct FlagTests {
    @Test func comparesCaseInsensitivelyButKeepsSpelling() {
        #expect(Flag("\\SEEN") == .seen)
        #expect(Set([Flag("NonJunk"), Flag("nonjunk")]).count == 1)
        #expect(Flag("$Label1").stringValue == "$Label1")
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
