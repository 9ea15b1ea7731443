import Foundation
import Logging
import MailTestSupport
import Migration
import Plan
import Testing

/// The accounts part of the plan against the testbed's Courier (old) and Dovecot (new).
@Suite("plan accounts against the testbed", .tags(.integration), .requiresTestbed)
struct AccountCheckTests {
    @Test("a reachable account is ok with its size; an account that cannot log in is a blocker on both sides")
    func loginsOnBothSides() async throws {
        let testbed = try Testbed.require()
        let user = try testbed.makeAccount(prefix: "plan")
        let directory = NSTemporaryDirectory() + "mailferry-plan-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = "tbplannosuchuser"
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
            jobs = 2
            [[accounts]]
            user = "\(user.name)"
            password_file = "\(user.passwordFile)"
            [[accounts]]
            user = "\(missing)"
            password_file = "\(user.passwordFile)"
            """.write(toFile: path, atomically: true, encoding: .utf8)
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
}
