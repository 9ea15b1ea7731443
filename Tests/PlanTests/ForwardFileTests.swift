import Cutover
import Foundation
import MailTestSupport
import Testing

@testable import Plan

@Suite struct ForwardFileTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var severity: PlanFinding.Severity
        var summary: String
        var sieve: String?
        var testDescription: String { text.debugDescription }
    }

    @Test("each kind of .forward destination: what it does, how much it matters, its Sieve", arguments: [
        Case(text: "bob@example.org", severity: .warning, summary: "forwards mail to bob@example.org", sieve: "redirect \"bob@example.org\";"),
        Case(text: "\\alice, bob@example.org\n# old\ncarol@example.net", severity: .warning,
             summary: "forwards mail to bob@example.org, carol@example.net; keeps a copy in the mailbox",
             sieve: "redirect \"bob@example.org\";\nredirect \"carol@example.net\";\nkeep;"),
        Case(text: "bob@example.org,\n  carol@example.net", severity: .warning, summary: "forwards mail to bob@example.org, carol@example.net",
             sieve: "redirect \"bob@example.org\";\nredirect \"carol@example.net\";"),
        Case(text: "Bob Smith <bob@example.org>", severity: .warning, summary: "forwards mail to bob@example.org", sieve: "redirect \"bob@example.org\";"),
        Case(text: "\"|/usr/bin/vacation alice\", \\alice", severity: .warning,
             summary: "pipes it into |/usr/bin/vacation alice (an autoreply); keeps a copy in the mailbox", sieve: nil),
        Case(text: "\"|exec /usr/bin/maildrop\"", severity: .warning, summary: "pipes it into |exec /usr/bin/maildrop (a filter program)", sieve: nil),
        Case(text: "\"|/usr/local/bin/archive.sh --all\"", severity: .blocker, summary: "pipes it into |/usr/local/bin/archive.sh --all", sieve: nil),
        Case(text: "/var/archive/alice", severity: .blocker, summary: "appends it to the file /var/archive/alice", sieve: nil),
        Case(text: ":include:/etc/mail/team", severity: .blocker, summary: "sends it to the list in :include:/etc/mail/team", sieve: nil),
        Case(text: "/home/alice/Maildir/", severity: .ok, summary: "keeps mail in the mailbox only", sieve: nil),
        Case(text: "alice\n", severity: .ok, summary: "keeps mail in the mailbox only", sieve: nil),
        Case(text: "# nothing\n\n", severity: .ok, summary: "lists no destination", sieve: nil),
        Case(text: "bob", severity: .warning, summary: "forwards mail to bob (a local user)", sieve: nil),
        Case(text: "\\bob", severity: .warning, summary: "forwards mail to bob's mailbox", sieve: nil),
        Case(text: "|/usr/bin/vacation alice", severity: .warning,
             summary: "has |/usr/bin/vacation alice, which needs a person (a command with unquoted white space: Postfix may not read it as one command)", sieve: nil),
        Case(text: "@example.org", severity: .warning, summary: "has @example.org, which needs a person (not an address: nothing before or after the @)", sieve: nil),
        Case(text: "~/mail/inbox", severity: .warning,
             summary: "has ~/mail/inbox, which needs a person (a relative path: Postfix delivers only to absolute paths, and reads this as a user name)", sieve: nil),
        Case(text: "bob@example.org\r\n", severity: .warning, summary: "forwards mail to bob@example.org", sieve: nil),
        Case(text: "\"bob@example.org", severity: .warning, summary: "has \"bob@example.org, which needs a person (an unclosed double quote)", sieve: nil),
    ])
    func destinations(_ example: Case) {
        let forward = ForwardFile(parsing: example.text, account: "alice", home: "/home/alice")
        #expect(forward.severity == example.severity, "\(forward)")
        #expect(forward.summary == example.summary, "\(forward)")
        #expect(forward.sieve(domain: nil) == example.sieve, "\(forward)")
    }

    @Test("odd files are named: CR LF line ends, an unclosed quote")
    func oddities() {
        #expect(ForwardFile(parsing: "bob@example.org\r\n", account: "alice").oddities.first?.hasPrefix("CR LF line ends") == true)
        #expect(ForwardFile(parsing: "\"bob@example.org", account: "alice").oddities == ["an unclosed double quote in \"bob@example.org"])
    }

    @Test("a file of thousands of destinations keeps the first 200 and counts the rest; a long entry is cut for the report")
    func bounded() {
        let text = (0..<5000).map { "user\($0)@example.org" }.joined(separator: "\n") + "\n" + String(repeating: "x", count: 10_000) + "@example.org"
        let forward = ForwardFile(parsing: text, account: "alice")
        #expect(forward.destinations.count == ForwardFile.maximumDestinations)
        #expect(forward.omitted == 5001 - ForwardFile.maximumDestinations)
        #expect(forward.summary.hasSuffix("and 4801 more destinations"))
        #expect(forward.sieve(domain: "example.com") == nil)
        let long = ForwardFile(parsing: String(repeating: "y", count: 10_000) + "@example.org", account: "alice")
        guard case .address(let shown)? = long.destinations.first else { Issue.record("\(long)"); return }
        #expect(shown.count == 201 && shown.hasSuffix("…"))
    }

    @Test("the actions say what to build on the new server: a virtual alias and a Sieve redirect, or what needs a person")
    func actions() {
        let forward = ForwardFile(parsing: "bob@example.org, \\alice, carol", account: "alice")
        let actions = forward.actions(addresses: ["alice@example.com"], path: "/home/alice/.forward")
        #expect(actions.count == 1)
        #expect(actions[0].contains("virtual alias (virtual_alias_maps of the new Postfix): alice@example.com bob@example.org, carol@example.com, alice@example.com"))
        #expect(actions[0].contains("redirect \"bob@example.org\"; redirect \"carol@example.com\"; keep;"))
        let pipe = ForwardFile(parsing: "\"|/usr/local/bin/ticket\"", account: "alice").actions(addresses: ["alice@example.com"], path: "/home/alice/.forward")
        #expect(pipe.count == 1 && pipe[0].hasPrefix("Needs a person: the new server cannot run |/usr/local/bin/ticket"))
    }

    @Test("a file read with a bound: too big, invalid UTF-8 and NUL bytes are problems; a character cut at the bound is not")
    func readProblems() {
        let bytes = Array("bob@example.org\n# ".utf8) + [0xFF, 0xFE, 0x00, 0x0A]
        let invalid = OldHostFiles.File(name: ".forward", size: bytes.count, bytes: bytes)
        let filter = DeliveryFilter(invalid, home: "/home/alice", account: "alice", limit: 1024)
        #expect(filter?.kind == .forward && filter?.path == "/home/alice/.forward")
        #expect(filter?.problems == ["it is not valid UTF-8", "it contains NUL bytes"])
        let cut = OldHostFiles.File(name: ".forward+list", size: 1_000_000, bytes: Array(Array("bob@example.org, é".utf8).dropLast()))
        #expect(DeliveryFilter(cut, home: "/home/alice", account: "alice", limit: 18)?.problems == ["it is 1000000 bytes: only its first 18 were read"])
        #expect(DeliveryFilter(OldHostFiles.File(name: ".forward", size: nil, bytes: []), home: "/h", account: "a", limit: 1)?.problems == ["it cannot be read"])
        #expect(DeliveryFilter(OldHostFiles.File(name: ".forward.orig", size: 1, bytes: [0x41]), home: "/h", account: "a", limit: 1) == nil)
        let finding = DeliveryFilterCheck(host: LocalHost(), domains: ["example.com"]).finding("alice", filter!)
        #expect(finding.severity == .warning && finding.area == "addresses")
        #expect(finding.message.hasPrefix("/home/alice/.forward (it is not valid UTF-8; it contains NUL bytes): forwards mail to bob@example.org"))
        #expect(finding.action?.hasPrefix("Needs a person: read /home/alice/.forward by hand") == true)
    }

    @Test("the old host's files are read in one command, at most the limit of each, byte for byte")
    func boundedRead() async throws {
        let directory = NSTemporaryDirectory() + "mailferry-plan-home-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let invalid: [UInt8] = [0xC3, 0x28, 0x0A, 0x00, 0xFF]
        try Data(invalid).write(to: URL(fileURLWithPath: directory + "/.forward"))
        try Data(repeating: 0x61, count: 300_000).write(to: URL(fileURLWithPath: directory + "/.procmailrc"))
        try Data("bob@example.org\n".utf8).write(to: URL(fileURLWithPath: directory + "/.forward+list"))
        try Data("ignored".utf8).write(to: URL(fileURLWithPath: directory + "/.forward.orig"))
        let files = try #require(try await OldHostFiles.read([".forward", ".forward+*", ".procmailrc", ".mailfilter"], in: directory, on: LocalHost(), limit: 1024))
        #expect(files.map(\.name) == [".forward", ".forward+list", ".procmailrc"])
        #expect(files[0].bytes == invalid && files[0].size == 5 && !files[0].truncated)
        #expect(files[2].bytes.count == 1024 && files[2].size == 300_000 && files[2].truncated)
        #expect(try await OldHostFiles.read([".forward"], in: directory + "/nothere", on: LocalHost(), limit: 1024) == nil)
    }
}

/// A `.forward` in a testbed account's home on the old host (a real passwd entry and home).
@Suite("plan .forward files against the testbed", .tags(.integration), .requiresTestbed)
struct ForwardFileTestbedTests {
    @Test("a .forward that pipes mail is a blocker in the addresses area; a .forward+ext forward a warning with its virtual alias")
    func forwardsInAnOldHome() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "plan18fwd")
        let forward = user.oldHome + "/.forward"
        let extended = user.oldHome + "/.forward+lists"
        try "\"|/usr/local/bin/ticket --queue support\", \\\(user.name)\n".write(toFile: forward, atomically: true, encoding: .utf8)
        try "lists@example.org\n".write(toFile: extended, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: forward)
            try? FileManager.default.removeItem(atPath: extended)
        }
        let findings = await DeliveryFilterCheck(host: LocalHost(), domains: ["old.test"]).run(accounts: [user.name])
        let text = findings.map { "\($0.severity) \($0.area) \($0.subject): \($0.message) → \($0.action ?? "")" }.joined(separator: "\n")
        let mine = findings.filter { $0.subject == user.name && $0.area == "addresses" }
        #expect(mine.count == 2, "\(text)")
        #expect(mine.contains { $0.severity == .blocker && $0.message == "\(forward): pipes it into |/usr/local/bin/ticket --queue support; keeps a copy in the mailbox; the new server reads no .forward" }, "\(text)")
        #expect(mine.contains { $0.severity == .warning && $0.message.hasPrefix(extended) && $0.action?.contains("\(user.name)@old.test lists@example.org") == true }, "\(text)")
    }
}
