import PostfixControl
import Testing

@Suite struct PostfixMirrorPlanTests {
    static let mirror = PostfixMirrorPlan(domains: ["Example.COM"], route: .mirror(host: "127.0.0.1", port: 10026))

    @Test func mapsCopyEveryRecipientToTheShadowDomain() {
        let files = Self.mirror.files()
        #expect(files.map(\.name) == ["recipient_bcc.regexp", "transport"])
        #expect(files[0].content.contains("/^(.+)@example\\.com$/\t${1}@example.com.mirror.invalid\n"))
        #expect(files[1].content.contains("example.com.mirror.invalid\tsmtp:[127.0.0.1]:10026\n"))
    }

    /// Issue 13.1: the new server routes the mirror's bounce domain back to the mirror.
    @Test func newServerSendsNotificationsAboutCopiesToTheMirror() {
        #expect(PostfixMirrorPlan.newServerTransport(bounceDomain: "Mailferry.INVALID", mirrorHost: "10.0.0.5", mirrorPort: 10026)
            == "mailferry.invalid\tsmtp:[10.0.0.5]:10026")
    }

    @Test func keepsExistingMapsAfterOurs() throws {
        let settings = try Self.mirror.settings(current: ["transport_maps": "hash:/etc/postfix/transport"], directory: "/d")
        #expect(settings.map(\.0) == ["recipient_bcc_maps", "transport_maps"])
        #expect(settings[1].1 == "hash:/d/transport, hash:/etc/postfix/transport")
        // Applying again does not stack our map twice.
        let again = try Self.mirror.settings(current: ["transport_maps": settings[1].1, "recipient_bcc_maps": settings[0].1], directory: "/d")
        #expect(again[1].1 == settings[1].1)
    }

    @Test func refusesToReplaceASitesBccMap() {
        #expect(throws: PostfixError.self) {
            try Self.mirror.settings(current: ["recipient_bcc_maps": "hash:/etc/postfix/bcc"], directory: "/d")
        }
    }
}

@Suite struct PostfixMirrorPlanPilotTests {
    @Test func onlyListedRecipientsAreCopied() {
        var plan = PostfixMirrorPlan(domains: ["old.test"], route: .mirror(host: "127.0.0.1", port: 10026))
        plan.onlyRecipients = ["alice@old.test", "b.o+b@OLD.test", "carol@other.test"]
        #expect(plan.files()[0].content.contains("/^(alice|b\\.o\\+b)@old\\.test$/\t${1}@old.test.mirror.invalid\n"))
    }
}
