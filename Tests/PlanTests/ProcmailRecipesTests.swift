import Testing

@testable import Plan

@Suite struct ProcmailRecipesTests {
    @Test("simple procmail recipes become Sieve, byte for byte", arguments: [
        (":0\n* ^From:.*boss@example.com\n$HOME/Maildir/.Boss/\n",
         "require [\"fileinto\", \"regex\"];\nif header :regex \"From\" \"boss@example.com\" {\n  fileinto \"Boss\";\n  stop;\n}"),
        // MAILDIR set: `.Folder/` and `$MAILDIR/.Folder/` are folders of the Maildir; `:0:` locks nothing there.
        ("MAILDIR=$HOME/Maildir\nDEFAULT=$MAILDIR/\n\n# lists\n:0:\n* ^List-Id:.*devel\n.Lists/\n\n:0\n* ^Subject: .*SPAM\n$MAILDIR/.Junk/\n",
         "require [\"fileinto\"];\nif header :contains \"List-Id\" \"devel\" {\n  fileinto \"Lists\";\n  stop;\n}\nif header :contains \"Subject\" \"SPAM\" {\n  fileinto \"Junk\";\n  stop;\n}"),
        (":0\n* ^Subject: (urgent|asap)\n${HOME}/Maildir/.Urgent/\n",
         "require [\"fileinto\", \"regex\"];\nif header :regex \"Subject\" \"^(urgent|asap)\" {\n  fileinto \"Urgent\";\n  stop;\n}"),
    ])
    func translated(text: String, sieve: String) {
        #expect(ProcmailRecipes.sieve(text) == sieve)
        #expect(DeliveryFilter(kind: .procmail, path: "p", text: text).translation.sieve == sieve)
    }

    @Test("anything beyond the simple recipes needs a person", arguments: [
        ":0\n* ^From:.*x\n.X/\n",                                  // MAILDIR not set: .X/ is a Maildir in the home
        ":0\n* ^From:.*x\n$HOME/Maildir/.X\n",                     // no trailing slash: an mbox file
        ":0c\n* ^From:.*x\n$HOME/Maildir/.X/\n",                   // a copy: delivery goes on
        ":0B\n* ^From:.*x\n$HOME/Maildir/.X/\n",                   // the body
        ":0\n* ^From:.*x\n* ^Subject:.*y\n$HOME/Maildir/.X/\n",    // two conditions
        ":0\n* ^TO_alice\n$HOME/Maildir/.X/\n",                    // procmail's own macro
        ":0\n* ^From:.*x\n! bob@example.org\n",
        ":0\n* ^Subject: away\n| /usr/bin/mailbot -t reply.txt\n",
        ":0\n* ^From:.*x\n{\n:0\n$HOME/Maildir/.X/\n}\n",
        "MAILDIR=/var/mail/alice\n:0\n* ^From:.*x\n.X/\n",
        "LOGFILE=$HOME/procmail.log\n:0\n* ^From:.*x\n$HOME/Maildir/.X/\n",
        "",
    ])
    func needsAPerson(text: String) {
        #expect(ProcmailRecipes.sieve(text) == nil)
    }
}
