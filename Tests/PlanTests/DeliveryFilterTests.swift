import Cutover
import Foundation
import MailTestSupport
import Testing

@testable import Plan

@Suite struct DeliveryFilterTests {
    @Test("a .forward's translation is its parsed summary and Sieve (ForwardFileTests has every kind of entry)", arguments: [
        ("\\alice, bob@example.org\n# old\ncarol@example.net", "forwards mail to bob@example.org, carol@example.net; keeps a copy in the mailbox",
         "redirect \"bob@example.org\";\nredirect \"carol@example.net\";\nkeep;" as String?),
        ("/var/archive/alice", "appends it to the file /var/archive/alice", nil),
    ])
    func forward(text: String, summary: String, sieve: String?) {
        let translation = DeliveryFilter(kind: .forward, path: "/home/a/.forward", text: text, account: "alice").translation
        #expect(translation.summary == summary)
        #expect(translation.sieve == sieve)
        #expect(DeliveryFilter(kind: .forward, path: "/home/a/.forward", text: text, account: "alice", problems: ["it is not valid UTF-8"]).translation.sieve == nil)
    }

    @Test("a .forward into vacation(1) becomes Sieve's vacation with ~/.vacation.msg, byte for byte", arguments: [
        ("\\alice, \"|/usr/bin/vacation alice\"", "Subject: Away\n\nI am away until Monday.\n" as String?,
         "require [\"vacation\"];\nvacation :days 7 :subject \"Away\" \"I am away until Monday.\";\nkeep;" as String?),
        ("\\alice, \"|vacation alice\"", "Back on the 5th.\n\nAlice\n",
         "require [\"vacation\"];\nvacation :days 7 \"Back on the 5th.\n\nAlice\";\nkeep;"),
        ("\\alice, \"|/usr/bin/vacation alice\"", "From: Alice <alice@example.org>\nSubject: Away \"again\"\nPrecedence: bulk\n\nText\n",
         "require [\"vacation\"];\nvacation :days 7 :subject \"Away \\\"again\\\"\" :from \"Alice <alice@example.org>\" \"Text\";\nkeep;"),
        ("\\alice, bob@example.org, \"|/usr/bin/vacation alice\"", "Away.\n",
         "require [\"vacation\"];\nvacation :days 7 \"Away.\";\nredirect \"bob@example.org\";\nkeep;"),
        // Unsure: a person decides.
        ("\\alice, \"|/usr/bin/vacation alice\"", nil, nil),
        ("\\alice, \"|/usr/bin/vacation -a al alice\"", "Away.\n", nil),
        ("\\alice, \"|/usr/bin/vacation alice\"", "Subject: Re: $SUBJECT\n\nAway.\n", nil),
        ("\\alice, \"|/usr/bin/vacation alice\"", "X-Mailer: vi\n\nAway.\n", nil),
        ("\\alice, \"|/usr/bin/vacation alice\"", "Subject: Away\n\n", nil),
    ])
    func vacation(forward: String, message: String?, sieve: String?) {
        var filter = DeliveryFilter(kind: .forward, path: "/home/alice/.forward", text: forward, account: "alice")
        filter.vacationMessage = message
        #expect(filter.translation.sieve == sieve)
    }

    @Test("the finding of a .forward into vacation(1) offers the Sieve script made from ~/.vacation.msg")
    func vacationFinding() throws {
        var filter = DeliveryFilter(kind: .forward, path: "/home/alice/.forward", text: "\\alice, \"|/usr/bin/vacation alice\"", account: "alice")
        filter.vacationMessage = "Subject: Away\n\nBack on Monday.\n"
        let finding = DeliveryFilterCheck(host: LocalHost(), domains: ["example.com"]).finding("alice", filter)
        let action = try #require(finding.action)
        #expect(action == "An autoreply: review this Sieve script, made from ~/.vacation.msg, with the user and install it on the new server (Dovecot Pigeonhole) "
            + "before the switch: require [\"vacation\"]; vacation :days 7 :subject \"Away\" \"Back on Monday.\"; keep;", "\(action)")
    }

    @Test("maildrop and procmail files are counted and flagged for a person, autoreplies named")
    func filterFiles() {
        let mailfilter = "if (/^Subject: .*SPAM/)\n  to \"$HOME/Maildir/.Junk/\"\nif (/^From: boss/)\n  cc \"!alice@example.org\"\n"
        #expect(DeliveryFilter(kind: .mailfilter, path: "m", text: mailfilter).translation.summary == "a maildrop filter with 4 rules")
        #expect(DeliveryFilter(kind: .mailfilter, path: "m", text: mailfilter).translation.sieve == nil)
        let procmail = ":0\n* ^Subject: away\n| /usr/bin/mailbot -t reply.txt\n"
        #expect(DeliveryFilter(kind: .procmail, path: "p", text: procmail).translation.summary == "a procmail recipe file with 1 recipe, with an autoreply")
        #expect(DeliveryFilter.sieveString("a\"b\\c") == "\"a\\\"b\\\\c\"")
    }
}

/// The filters of a testbed account's home on the old host (a real passwd entry).
@Suite("plan filters against the testbed", .tags(.integration), .requiresTestbed)
struct DeliveryFilterTestbedTests {
    @Test("the .forward and .mailfilter in an old home are listed with their Sieve proposals; a home without any is ok")
    func filtersInAnOldHome() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "planfilter")
        let plain = try await testbed.makeAccount(prefix: "plannofilter")
        try "\\\(user.name), \(user.name)@example.org\n".write(toFile: user.oldHome + "/.forward", atomically: true, encoding: .utf8)
        try "if (/^Subject: .*report/)\n{\n  to \"$HOME/Maildir/.Reports/\"\n}\n".write(toFile: user.oldHome + "/.mailfilter", atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: user.oldHome + "/.forward")
            try? FileManager.default.removeItem(atPath: user.oldHome + "/.mailfilter")
        }
        let findings = await DeliveryFilterCheck(host: LocalHost()).run(accounts: [user.name, plain.name, "tbplannosuchuser"])
        let text = findings.map { "\($0.severity) \($0.subject): \($0.message) → \($0.action ?? "")" }.joined(separator: "\n")
        let mine = findings.filter { $0.subject == user.name }
        #expect(mine.count == 2 && mine.allSatisfy { $0.severity == .warning }, "\(text)")
        #expect(mine.contains { $0.message.hasPrefix(user.oldHome + "/.forward") && $0.action?.contains("redirect \"\(user.name)@example.org\"; keep;") == true }, "\(text)")
        #expect(mine.contains { $0.message.contains("maildrop filter with 2 rules") && $0.action?.hasPrefix("Review this Sieve script") == true
                && $0.action?.contains("if header :contains \"Subject\" \"report\" {   fileinto \"Reports\";   stop; }") == true }, "\(text)")
        #expect(findings.contains { $0.severity == .ok && $0.message.hasPrefix("2 accounts have no .forward") }, "\(text)")
        #expect(findings.count == 3, "\(text)")
    }
}
