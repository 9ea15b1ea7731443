import Cutover
import Foundation
import MailTestSupport
@testable import Plan
import Testing

/// The addresses part of the plan against a staged post-switch configuration: copies of the
/// testbed's old and new Postfix configurations, each given maps of the test's own for a
/// domain of its own, asked with Postfix's postconf and postmap (no instance runs on them).
@Suite("plan addresses against a staged new Postfix", .tags(.integration), .requiresTestbed)
struct PostSwitchAddressesTests {
    static let domain = "plan2-move.test"

    /// A private copy of a testbed Postfix configuration with `settings` and text `files`.
    static func stage(_ source: String, settings: [String], files: [String: String], hashed: [String] = [], aliases: String? = nil) async throws -> String {
        let directory = NSTemporaryDirectory() + "mailferry-plan-staged-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        for file in ["main.cf", "master.cf"] {
            try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(directory)/\(file)")
        }
        for (name, text) in files { try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8) }
        try await Process.check("/usr/sbin/postconf", ["-c", directory, "-e"] + settings.map { $0.replacingOccurrences(of: "DIR", with: directory) })
        for name in hashed { try await Process.check("/usr/sbin/postmap", ["-c", directory, "hash:\(directory)/\(name)"]) }
        if let aliases { try await Process.check("/usr/sbin/postalias", ["-c", directory, "hash:\(directory)/\(aliases)"]) }
        return directory
    }

    /// The old host: a local user (the account), an alias, virtual aliases (one of them a
    /// loop on the new side), a canonical mapping, and user+tag forms.
    static func oldPostfix(_ testbed: Testbed) async throws -> String {
        let d = domain
        return try await stage(testbed.old.postfixConfigDir, settings: [
            "mydestination=\(d)", "recipient_delimiter=+", "alias_maps=hash:DIR/aliases", "virtual_alias_maps=hash:DIR/virtual",
            "recipient_canonical_maps=hash:DIR/canonical",
        ], files: [
            "aliases": "planalias: planuser\n",
            "virtual": "sales@\(d) planuser\nloop1@\(d) planuser\nnosuch@\(d) planuser\n",
            "canonical": "jdoe@\(d) planuser@\(d)\n",
        ], hashed: ["virtual", "canonical"], aliases: "aliases")
    }

    /// The new host after the switch: the domain's mailboxes in virtual_mailbox_maps, its
    /// aliases, and a canonical mapping; `delimiter` as recipient_delimiter.
    static func newPostfix(_ testbed: Testbed, delimiter: String) async throws -> String {
        let d = domain
        return try await stage(testbed.new.postfixConfigDir, settings: [
            "virtual_mailbox_domains=\(testbed.new.domain), \(d)", "virtual_mailbox_maps=texthash:DIR/vmailbox",
            "virtual_alias_maps=texthash:DIR/valias", "recipient_canonical_maps=texthash:DIR/canonical", "recipient_delimiter=\(delimiter)",
        ], files: [
            "vmailbox": "planuser@\(d) planuser/\n",
            "valias": "sales@\(d) planuser@\(d)\nloop1@\(d) loop2@\(d)\nloop2@\(d) loop1@\(d)\n",
            "canonical": "jdoe@\(d) planuser@\(d)\n",
        ])
    }

    static func describe(_ findings: [PlanFinding]) -> String {
        findings.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
    }

    @Test("every address the old Postfix accepts is resolved as the staged new Postfix would: aliases, canonical maps, loops, mailboxes")
    func stagedAddresses() async throws {
        let testbed = try Testbed.require()
        let old = try await Self.oldPostfix(testbed)
        let new = try await Self.newPostfix(testbed, delimiter: "")
        defer {
            try? FileManager.default.removeItem(atPath: old)
            try? FileManager.default.removeItem(atPath: new)
        }
        let d = Self.domain
        let check = AddressCheck(old: OldPostfixAddresses(configDirectory: old),
                                 postSwitch: PostSwitchAddresses(postfix: PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: new), domains: [d]),
                                 domains: [d], accounts: ["planuser"])
        let findings = await check.run()
        let text = Self.describe(findings)
        let blockers = Dictionary(findings.filter { $0.severity == .blocker }.map { ($0.subject, $0.message) }, uniquingKeysWith: { $0 + " | " + $1 })
        // The new side lacks planalias and nosuch, loops on loop1, and has no delimiter; the
        // account, sales (virtual alias) and jdoe (canonical) arrive.
        #expect(Set(blockers.keys) == ["planalias@\(d)", "nosuch@\(d)", "loop1@\(d)", "recipient_delimiter"], "\(text)")
        #expect(blockers["planalias@\(d)"]?.contains("User unknown in virtual mailbox table") == true, "\(text)")
        #expect(blockers["loop1@\(d)"]?.contains("levels deep") == true, "\(text)")
        #expect(blockers["recipient_delimiter"]?.contains("recipient_delimiter = (empty)") == true, "\(text)")
        #expect(findings.contains { $0.severity == .ok && $0.message.contains("6 addresses the old Postfix accepts checked") && $0.message.contains("3 accepted, 3 refused or bounced") },
                "\(text)")
    }

    @Test("transport_maps' error and discard transports bounce or drop what the mailbox table accepts, by address, domain or wildcard")
    func transportMapsOverrideTheClass() async throws {
        let testbed = try Testbed.require()
        let d = Self.domain
        let new = try await Self.stage(testbed.new.postfixConfigDir, settings: [
            "virtual_mailbox_domains=\(d), sub.\(d)", "virtual_mailbox_maps=texthash:DIR/vmailbox", "virtual_alias_maps=texthash:DIR/valias",
            "transport_maps=texthash:DIR/transport",
        ], files: [
            "vmailbox": "open@\(d) open/\nclosed@\(d) closed/\nquiet@\(d) quiet/\nany@sub.\(d) any/\n",
            "valias": "sales@\(d) closed@\(d)\n",
            "transport": "closed@\(d) error:5.1.1 this mailbox is closed\nquiet@\(d) discard:\n.\(d) error:5.7.1 no subdomains\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: new) }
        let resolver = PostSwitchAddresses(postfix: PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: new), domains: [d, "sub.\(d)"])
        let verdicts = try await resolver.resolve(["open@\(d)", "closed@\(d)", "sales@\(d)", "quiet@\(d)", "any@sub.\(d)"])
        #expect(verdicts["open@\(d)"] == .accepted("mailbox open@\(d)"))
        guard case .bounces(let closed) = verdicts["closed@\(d)"], case .bounces(let sales) = verdicts["sales@\(d)"],
              case .bounces(let quiet) = verdicts["quiet@\(d)"], case .bounces(let sub) = verdicts["any@sub.\(d)"] else {
            Issue.record("expected four bounces: \(verdicts)")
            return
        }
        #expect(closed.contains("error:5.1.1 this mailbox is closed"), "\(closed)")
        // The alias is delivered to its target, whose transport bounces it.
        #expect(sales.contains("becomes closed@\(d)") && sales.contains("error:5.1.1"), "\(sales)")
        #expect(quiet.contains("discard:") && quiet.contains("dropped"), "\(quiet)")
        #expect(sub.contains("key .\(d)"), "\(sub)")
    }

    @Test("with the same recipient_delimiter, the user+tag forms are checked one by one and arrive, through the canonical map too")
    func taggedForms() async throws {
        let testbed = try Testbed.require()
        let new = try await Self.newPostfix(testbed, delimiter: "+")
        defer { try? FileManager.default.removeItem(atPath: new) }
        let d = Self.domain
        let staged = PostSwitchAddresses(postfix: PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: new), domains: [d])
        let verdicts = try await staged.resolve(["planuser+x@\(d)", "jdoe+x@\(d)", "sales+x@\(d)", "other+x@\(d)", "friend@elsewhere.test"])
        #expect(verdicts["planuser+x@\(d)"] == .accepted("mailbox planuser+x@\(d)"), "\(verdicts)")
        // jdoe+x matches jdoe@domain in the canonical map; the extension is carried over.
        #expect(verdicts["jdoe+x@\(d)"] == .accepted("rewritten to planuser+x@\(d), mailbox planuser+x@\(d)"), "\(verdicts)")
        #expect(verdicts["sales+x@\(d)"] == .accepted("mailbox planuser+x@\(d)"), "\(verdicts)")
        #expect(verdicts["other+x@\(d)"] == .bounces("5.1.1 User unknown in virtual mailbox table"), "\(verdicts)")
        #expect(verdicts["friend@elsewhere.test"] == .accepted("forwarded to friend@elsewhere.test"), "\(verdicts)")

        let old = try await Self.oldPostfix(testbed)
        defer { try? FileManager.default.removeItem(atPath: old) }
        let findings = await AddressCheck(old: OldPostfixAddresses(configDirectory: old), postSwitch: staged, domains: [d], accounts: ["planuser"]).run()
        let text = Self.describe(findings)
        let blockers = Set(findings.filter { $0.severity == .blocker }.map(\.subject))
        #expect(blockers == ["planalias@\(d)", "nosuch@\(d)", "loop1@\(d)",
                             "planalias+mailferry-plan-probe@\(d)", "nosuch+mailferry-plan-probe@\(d)", "loop1+mailferry-plan-probe@\(d)"], "\(text)")
        #expect(findings.contains { $0.severity == .ok && $0.message.contains("and 6 user+tag forms") && $0.message.contains("6 accepted") }, "\(text)")
    }
}

/// The old host's regular users that are no account, against the staged new Postfix: only
/// the addresses it would bounce are named; when it accepts them all, that is said.
@Suite("plan: the old host's regular users against a staged new Postfix", .tags(.integration), .requiresTestbed)
struct PostSwitchPasswdUsersTests {
    @Test func onlyTheUsersTheNewPostfixLacksAreNamed() async throws {
        let testbed = try Testbed.require()
        let d = PostSwitchAddressesTests.domain
        let new = try await PostSwitchAddressesTests.stage(testbed.new.postfixConfigDir, settings: [
            "virtual_mailbox_domains=\(d)", "virtual_mailbox_maps=texthash:DIR/vmailbox", "virtual_alias_maps=texthash:DIR/valias",
        ], files: ["vmailbox": "bob@\(d) bob/\n", "valias": "carol@\(d) bob@\(d)\n"])
        defer { try? FileManager.default.removeItem(atPath: new) }
        var found = OldPostfixAddresses.Found()
        found.passwdUsers = ["bob", "carol", "dave", "eve"]
        found.passwdDomains = [d]
        let check = AddressCheck(old: OldPostfixAddresses(configDirectory: new), domains: [d])
        let staged = PostSwitchAddresses(postfix: PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: new), domains: [d])
        let findings = try #require(await check.passwdFindings(staged, found: found))
        #expect(findings.count == 1 && findings[0].severity == .warning, "\(findings)")
        #expect(findings[0].message.contains("2 addresses") && findings[0].message.contains("(2 of 4 it accepts)"), "\(findings[0].message)")
        #expect(findings[0].message.hasSuffix(": dave@\(d), eve@\(d)"), "\(findings[0].message)")
        // Listed once, here, not also among what could not be listed.
        #expect(!AddressCheck.unlistedFindings(found, passwdChecked: true).contains { $0.subject == "unix:passwd.byname" })
        #expect(AddressCheck.notChecked(found, passwdChecked: true) == "")

        found.passwdUsers = ["bob", "carol"]
        let all = try #require(await check.passwdFindings(staged, found: found))
        #expect(all.map(\.severity) == [.ok] && all[0].message.contains("accepts every one of their 2 addresses"), "\(all)")
    }
}

/// A `.forward` asked of the staged new Postfix: ok once a virtual alias there does the same
/// (forward and keep a copy); else it says where the mail would end instead.
@Suite("plan: a .forward against a staged new Postfix", .tags(.integration), .requiresTestbed)
struct PostSwitchForwardTests {
    @Test func aForwardTheNewPostfixAlreadyDoesIsOk() async throws {
        let testbed = try Testbed.require()
        let d = PostSwitchAddressesTests.domain
        let filter = DeliveryFilter(kind: .forward, path: "/home/alice/.forward", text: "\\alice, Friend@Elsewhere.example\n", account: "alice", home: "/home/alice")
        func check(_ aliases: String) async throws -> PlanFinding {
            let new = try await PostSwitchAddressesTests.stage(testbed.new.postfixConfigDir, settings: [
                "virtual_mailbox_domains=\(d)", "virtual_mailbox_maps=texthash:DIR/vmailbox", "virtual_alias_maps=texthash:DIR/valias",
            ], files: ["vmailbox": "alice@\(d) alice/\n", "valias": aliases])
            defer { try? FileManager.default.removeItem(atPath: new) }
            let staged = PostSwitchAddresses(postfix: PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: new), domains: [d])
            let check = DeliveryFilterCheck(host: LocalHost(), domains: [d], postSwitch: staged)
            return await check.resolved(check.finding("alice", filter), account: "alice", filter: filter)
        }
        let built = try await check("alice@\(d) alice@\(d), friend@elsewhere.example\n")
        #expect(built.severity == .ok && built.message.hasSuffix("already does the same") && built.action == nil, "\(built.message)")
        let onlyForward = try await check("alice@\(d) friend@elsewhere.example\n")
        #expect(onlyForward.severity == .warning && onlyForward.message.hasSuffix("does not yet: mail to alice@\(d) would end at friend@elsewhere.example"),
                "\(onlyForward.message)")
        let nothing = try await check("")
        #expect(nothing.severity == .warning && nothing.message.hasSuffix("would end at alice@\(d)") && nothing.action != nil, "\(nothing.message)")
    }
}
