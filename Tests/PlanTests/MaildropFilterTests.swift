import Testing

@testable import Plan

@Suite struct MaildropFilterTests {
    @Test("simple maildrop rules become Sieve, byte for byte", arguments: [
        // The rule of maildropfilter(7)'s examples, braces on lines of their own.
        ("if (/^From:.*boss@example.com/)\n{\n  to \"$HOME/Maildir/.Boss/\"\n}\n",
         "require [\"fileinto\", \"regex\"];\nif header :regex \"From\" \"boss@example.com\" {\n  fileinto \"Boss\";\n  stop;\n}"),
        // On one line, a literal: :contains, and no regex extension.
        ("if (/^Subject: .*SPAM/) { to \"$HOME/Maildir/.Junk/\" }",
         "require [\"fileinto\"];\nif header :contains \"Subject\" \"SPAM\" {\n  fileinto \"Junk\";\n  stop;\n}"),
        // Brace on the if line, ${HOME}, no trailing slash, a comment; then a last bare `to`.
        ("# sort\nif (/^List-Id:.*devel/) {\n  to \"${HOME}/Maildir/.Lists\"\n}\nto \"$HOME/Maildir/.Rest/\"\n",
         "require [\"fileinto\"];\nif header :contains \"List-Id\" \"devel\" {\n  fileinto \"Lists\";\n  stop;\n}\nfileinto \"Rest\";\nstop;"),
        // Anchored at the value's start: a regex with ^, quotes and backslashes escaped for Sieve.
        ("if (/^Subject: \\[ticket\\] \"x\"/)\n{\nto \"$HOME/Maildir/.Tickets/\"\n}",
         "require [\"fileinto\", \"regex\"];\nif header :regex \"Subject\" \"^\\\\[ticket\\\\] \\\"x\\\"\" {\n  fileinto \"Tickets\";\n  stop;\n}"),
        ("to \"$HOME/Maildir/.Everything/\"\n", "require [\"fileinto\"];\nfileinto \"Everything\";\nstop;"),
    ])
    func translated(text: String, sieve: String) {
        #expect(MaildropFilter.sieve(text) == sieve)
        #expect(DeliveryFilter(kind: .mailfilter, path: "m", text: text).translation.sieve == sieve)
    }

    @Test("anything beyond the simple rules needs a person", arguments: [
        "if (/^Subject: .*SPAM/)\n  to \"$HOME/Maildir/.Junk/\"\n",                        // no braces: not maildrop's syntax
        "if (/^From:.*x/:b)\n{\n  to \"$HOME/Maildir/.X/\"\n}",                            // a body match
        "if (/^From:.*x/)\n{\n  to \"$HOME/Maildir/.X/\"\n}\nelse\n{\n  to \"$HOME/Maildir/.Y/\"\n}",
        "if (/^From:.*x/)\n{\n  cc \"!alice@example.org\"\n}",
        "if (/^From:.*x/)\n{\n  to \"$HOME/Maildir/.Lists.Devel/\"\n}",                  // a sub-folder: the separator is the server's
        "if (/^From:\\s*\\w+@x/)\n{\n  to \"$HOME/Maildir/.X/\"\n}",                       // Perl classes POSIX ERE lacks
        "if (/^(From|To):.*x/)\n{\n  to \"$HOME/Maildir/.X/\"\n}",
        "if (/^From:x/)\n{\n  to \"$HOME/Maildir/.X/\"\n}",                                // anchored without white space
        "to \"$HOME/Maildir/.A/\"\nif (/^From:.*x/)\n{\n  to \"$HOME/Maildir/.X/\"\n}",     // a bare to before the end
        "DEFAULT=\"$HOME/Maildir\"\nif (/^From:.*x/)\n{\n  to \"$HOME/Maildir/.X/\"\n}",
        "xfilter \"/usr/bin/spamc\"\n",
        "to \"/var/mail/alice\"\n",
        "",
    ])
    func needsAPerson(text: String) {
        #expect(MaildropFilter.sieve(text) == nil)
    }
}
