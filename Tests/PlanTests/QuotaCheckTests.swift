import Cutover
import Foundation
import MailTestSupport
import Testing

@testable import Plan

@Suite struct QuotaCheckTests {
    /// `doveadm -f tab quota get -u USER` of the testbed's Dovecot, with a second quota root
    /// added: the tighter limit of each resource counts.
    static let twoRoots = "Quota name\tType\tValue\tLimit\t%\nUser quota\tSTORAGE\t181\t200\t90\nUser quota\tMESSAGE\t2\t-\t0\n"
        + "Archive\tSTORAGE\t10\t150\t6\nArchive\tMESSAGE\t1\t40\t2\n"

    @Test("doveadm's table: the tighter limit per resource, KiB as bytes, '-' as none")
    func parse() throws {
        let quota = try #require(AccountQuota.parse(doveadmTab: Self.twoRoots))
        #expect(quota == AccountQuota(storageLimitBytes: 150 * 1024, messageLimit: 40, storageUsedBytes: 181 * 1024, messagesUsed: 2))
        let none = try #require(AccountQuota.parse(doveadmTab: "Quota name\tType\tValue\tLimit\t%\nUser quota\tSTORAGE\t9997\t-\t0\n"))
        #expect(none.storageLimitBytes == nil && none.messageLimit == nil)
        #expect(AccountQuota.parse(doveadmTab: "doveadm(x): Error: User doesn't exist\n") == nil)
    }

    @Test("a mailbox over its quota is a blocker, one over 90 % a warning, one well under ok", arguments: [
        (200 * 1024 + 1, 10, PlanFinding.Severity.blocker),
        (200 * 1024, 10, .warning),
        (185 * 1024, 10, .warning),
        (100 * 1024, 10, .ok),
        (100 * 1024, 41, .blocker),
    ])
    func thresholds(bytes: Int, messages: Int, expected: PlanFinding.Severity) {
        let quota = AccountQuota(storageLimitBytes: 200 * 1024, messageLimit: 40)
        let finding = QuotaCheck.evaluate(AccountPlan(account: "a", sourceMessages: messages, sourceBytes: bytes), quota)
        #expect(finding.severity == expected, "\(finding.message)")
        #expect(finding.area == "quota" && finding.subject == "a")
    }
}

/// The quota check against the testbed's Dovecot through the real doveadm.
@Suite("plan quotas against the testbed", .tags(.integration), .requiresTestbed)
struct QuotaCheckTestbedTests {
    @Test("doveadm's quota: a mailbox bigger than it is a blocker, no quota is ok, an unknown user a blocker")
    func quotasOfRealAccounts() async throws {
        let testbed = try Testbed.require()
        let config = try #require(testbed.new.dovecotConfig)
        let small = try await testbed.makeAccount(prefix: "planquota", quota: .kibibytes(50))
        let free = try await testbed.makeAccount(prefix: "plannoquota")
        var accounts = [
            AccountPlan(account: small.name, sourceMessages: 3, sourceBytes: 80 * 1024),
            AccountPlan(account: "planold", sourceMessages: 1, sourceBytes: 1000, destinationUser: free.name),
            AccountPlan(account: "tbplannosuchuser", sourceMessages: 1, sourceBytes: 1000),
            AccountPlan(account: "unread", sourceError: "login failed"),
        ]
        let findings = await QuotaCheck(host: LocalHost(), dovecotConfig: config).run(&accounts)
        let text = findings.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
        #expect(findings.map(\.subject) == [small.name, "planold", "tbplannosuchuser"], "\(text)")
        #expect(findings.map(\.severity) == [.blocker, .ok, .blocker], "\(text)")
        #expect(findings[0].message.contains("does not fit") && findings[0].message.contains("51.2 KB"), "\(text)")
        #expect(findings[1].message.contains("no quota"), "\(text)")
        #expect(findings[2].message.contains("no user"), "\(text)")
        #expect(accounts[0].quota?.storageLimitBytes == 50 * 1024)
    }
}
