import Foundation
import Logging
import MailTestSupport
import Migration
import Plan
import Testing

/// The accounts part of the plan against the testbed's Courier (old) and Dovecot (new).
@Suite("plan accounts against the testbed", .tags(.integration), .requiresTestbed)
struct AccountCheckTests {
    /// A migration config from the testbed's Courier to its Dovecot (master user) in
    /// `directory`, with `rest` (sync settings, folder rules, accounts) after the two stores.
    static func config(_ testbed: Testbed, in directory: String, _ rest: String) throws -> String {
        let path = directory + "/plan.toml"
        try """
            [source]
            url = "imap://\(testbed.old.imap.host):\(testbed.old.imap.port)"
            ca_file = "\(testbed.caFile)"
            [destination]
            url = "imap://\(testbed.new.imap.host):\(testbed.new.imap.port)"
            ca_file = "\(testbed.caFile)"
            master_user = "tbmigrator"
            master_password_file = "\(testbed.stateDir)/secrets/tbmigrator.password"
            [sync]
            state = "\(directory)/state"

            """.appending(rest).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a reachable account is ok with its size; an account that cannot log in is a blocker on both sides")
    func loginsOnBothSides() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "plan")
        let directory = NSTemporaryDirectory() + "mailferry-plan-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = "tbplannosuchuser"
        let path = try Self.config(testbed, in: directory, """
            jobs = 2
            [[accounts]]
            user = "\(user.name)"
            password_file = "\(user.passwordFile)"
            [[accounts]]
            user = "\(missing)"
            password_file = "\(user.passwordFile)"
            """)
        let check = try PlanRunner.accountCheck(configPath: path, logger: Logger(label: "test"))
        let result = await check.run()
        let text = result.findings.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
        #expect(result.accounts.map(\.account) == [user.name, missing])
        let good = try #require(result.accounts.first)
        #expect(good.sourceError == nil && good.destinationError == nil && good.destinationChecked, "\(text)")
        #expect(good.sourceMessages == 0 && (good.sourceFolders ?? 0) >= 1, "\(text)")
        #expect(result.findings.contains { $0.subject == user.name && $0.severity == .ok && $0.message.contains("logs in on the new server") }, "\(text)")
        let bad = result.findings.filter { $0.subject == missing && $0.severity == .blocker }
        #expect(bad.contains { $0.message.contains("old server") } && bad.contains { $0.message.contains("new server") }, "\(text)")
    }

    @Test("folders the sync would refuse are blockers, each with the sync's own reason; the others pass")
    func refusedFolders() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "plan2f")
        // Courier's Maildir++ folders, made on disk as the user's: `.One` and `.Two` collide
        // under the rule below. `.Odd&Name` is fine: Courier keeps names in UTF-8 on disk and
        // lists it as `INBOX.Odd&-Name`. (Courier itself refuses to create or list the names
        // the sync cannot read: `/` in a name, an empty level, invalid UTF-8.)
        let owner = try FileManager.default.attributesOfItem(atPath: user.oldMaildir)
        for folder in [".Odd&Name", ".One", ".Two"] {
            for part in ["", "/cur", "/new", "/tmp"] {
                let path = "\(user.oldMaildir)/\(folder)\(part)"
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
                try FileManager.default.setAttributes([.ownerAccountID: owner[.ownerAccountID]!, .groupOwnerAccountID: owner[.groupOwnerAccountID]!], ofItemAtPath: path)
            }
        }
        let directory = NSTemporaryDirectory() + "mailferry-plan-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try Self.config(testbed, in: directory, """
            [folders]
            map = ["INBOX.Two=One"]
            [[accounts]]
            user = "\(user.name)"
            password_file = "\(user.passwordFile)"
            """)
        let result = try await PlanRunner.accountCheck(configPath: path, logger: Logger(label: "test")).run()
        let text = result.findings.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
        let refused = try #require(result.accounts.first?.refusedFolders, "\(text)")
        #expect(Set(refused.map(\.folder)) == ["INBOX.One", "INBOX.Two"], "\(text)")
        #expect(refused.first { $0.folder == "INBOX.One" }?.reason.contains("would all be copied into \"One\"") == true, "\(text)")
        let blockers = result.findings.filter { $0.area == "folders" && $0.severity == .blocker }.map(\.subject)
        #expect(Set(blockers) == ["\(user.name): INBOX.One", "\(user.name): INBOX.Two"], "\(text)")
        #expect(result.accounts.first?.sourceFolders == 4, "\(text)")
        // Everything else of the account is still measured: the refusal is per folder.
        #expect(result.accounts.first?.sourceError == nil && result.accounts.first?.destinationError == nil, "\(text)")
    }
}
