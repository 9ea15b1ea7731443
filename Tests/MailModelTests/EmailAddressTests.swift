import MailModel
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("bob@example.com", true), ("USER@EXAMPLE.COM", true), ("first.last+tag@sub.example.com", true),
        ("\"john doe\"@example.com", true), ("\"victim@other.example\"@example.com", true),
        ("victim%other.example@example.com", true), ("other.example!victim@example.com", true),
        ("victim@[192.0.2.1]", true), ("postmaster@localhost", true),
        ("victim@other.example.", false), ("@example.com", false), ("bob@", false), ("bob", false),
        (".bob@example.com", false), ("bob.@example.com", false), ("b..ob@example.com", false),
        ("bob@-example.com", false), ("bob@exa mple.com", false), ("bo b@example.com", false),
        ("ü@example.com", false), ("\"unterminated@example.com", false),
    ])
    func parsesRFC5321Mailboxes(text: String, valid: Bool) {
        #expect((EmailAddress(text) != nil) == valid)
    }

    @Test func enforcesLengthLimits() {
        let local64 = String(repeating: "a", count: 64)
        #expect(EmailAddress("\(local64)@example.com") != nil)
        #expect(EmailAddress("\(local64)a@example.com") == nil)
        let longDomain = Array(repeating: String(repeating: "d", count: 60), count: 5).joined(separator: ".")
        #expect(EmailAddress("bob@\(longDomain)") == nil)
    }

    @Test func utf8OnlyWithSMTPUTF8() throws {
        #expect(EmailAddress("ü@例え.jp") == nil)
        let address = try #require(EmailAddress("ü@例え.jp", allowUTF8: true))
        #expect(address.needsSMTPUTF8)
        #expect(address.domain == "例え.jp")
    }

    @Test func domainComparesCaseInsensitivelyLocalPartExactly() throws {
        let upper = try #require(EmailAddress("bob@EXAMPLE.com"))
        #expect(upper == EmailAddress("bob@example.COM"))
        #expect(upper != EmailAddress("BOB@example.com"))
        #expect(upper.normalizedDomain == "example.com")
        #expect(upper.replacingDomain(with: "new.test").description == "bob@new.test")
    }

    @Test func quotedLocalPartKeepsItsAt() throws {
        let address = try #require(EmailAddress("\"victim@other.example\"@example.com"))
        #expect(address.localPart == "\"victim@other.example\"")
        #expect(address.domain == "example.com")
    }

    @Test func envelopeDescriptionHidesAddresses() throws {
        let envelope = MailEnvelope(sender: .mailbox(try #require(EmailAddress("a@b.example"))), recipients: [.postmaster])
        #expect(!envelope.description.contains("a@b"))
    }
}
