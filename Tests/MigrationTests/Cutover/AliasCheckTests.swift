import Testing

@testable import Migration

/// Aliases that cannot run on the new server are listed as blockers, with file and line.
@Suite struct AliasCheckTests {
    @Test func findsPipeFileAndIncludeTargetsAcrossContinuationLines() {
        let text = """
            # /etc/aliases
            postmaster: root
            root: admin@example.org
            mailman-list: "|/var/lib/mailman/mail/mailman post list"
            archive: /var/mail/archive, admin
            team: alice, bob,
              :include:/etc/mail/team.list
            plain: "alice, with a comma"

            """
        #expect(AliasCheck.blockers(in: text, file: "/etc/aliases") == [
            "/etc/aliases:4: mailman-list -> |/var/lib/mailman/mail/mailman post list",
            "/etc/aliases:5: archive -> /var/mail/archive",
            "/etc/aliases:6: team -> :include:/etc/mail/team.list",
        ])
    }

    @Test func aliasMapsNameTheirSourceFiles() {
        let sources = AliasCheck.sourceFiles(aliasMaps: "hash:/etc/aliases, lmdb:/etc/postfix/more nis:mail.aliases")
        #expect(sources.files == ["/etc/aliases", "/etc/postfix/more"])
        #expect(sources.unchecked == ["nis:mail.aliases"])
    }
}
