import Cutover
import Foundation
import MailTestSupport
import Testing

@testable import Plan

@Suite struct HostPolicyCheckTests {
    static let master = """
        smtp       inet  n       -       y       -       1       postscreen
        smtpd      pass  -       -       y       -       -       smtpd
        127.0.0.1:10026 inet n   -       n       -       -       smtpd -o smtpd_milters= -o smtpd_recipient_restrictions=permit_mynetworks,reject
        pickup     unix  n       -       y       60      1       pickup
        """
    static let mainCF = [
        "smtpd_recipient_restrictions": "permit_mynetworks, reject_unauth_destination, check_policy_service unix:private/policyd-spf, check_policy_service inet:127.0.0.1:10023, reject_rbl_client zen.spamhaus.org",
        "smtpd_milters": "inet:localhost:8891",
    ]

    @Test("port 25 behind postscreen with milters, an SPF policy, greylisting and a DNSBL: every one named, a warning")
    func strangersPolicy() throws {
        let findings = HostPolicyCheck.evaluate(mainCF: Self.mainCF, masterCF: Self.master, port: 25)
        let finding = try #require(findings.first)
        #expect(findings.count == 1 && finding.severity == .warning && finding.subject == "relay listener smtp")
        for part in ["postscreen", "milters (inet:localhost:8891)", "unix:private/policyd-spf in smtpd_recipient_restrictions (SPF checks)",
                     "inet:127.0.0.1:10023 in smtpd_recipient_restrictions (greylisting", "zen.spamhaus.org"] {
            #expect(finding.message.contains(part), "\(part) in \(finding.message)")
        }
        #expect(finding.action?.contains("new.relay_port") == true)
    }

    @Test("the old host's port 25, where the new server relays before the switch and after a rollback: its obstacles a warning, a bare smtpd ok")
    func oldListener() throws {
        let strict = HostPolicyCheck.evaluateOld(mainCF: Self.mainCF, masterCF: Self.master)
        let finding = try #require(strict.first)
        #expect(strict.count == 1 && finding.severity == .warning && finding.subject == "old listener smtp", "\(strict)")
        #expect(finding.message.contains("postscreen") && finding.message.contains("policyd-spf") && finding.message.contains("rollback"), "\(finding.message)")
        #expect(finding.action?.contains("relay_to_old_command") == true)
        let bare = HostPolicyCheck.evaluateOld(mainCF: [:], masterCF: "smtp       inet  n       -       y       -       -       smtpd\n")
        #expect(bare.map(\.severity) == [.ok] && bare[0].subject == "old listener smtp")
        #expect(HostPolicyCheck.evaluateOld(mainCF: [:], masterCF: "127.0.0.1:10025 inet n - n - - smtpd\n").isEmpty, "no port-25 listener: nothing to say")
    }

    @Test("a dedicated listener whose -o overrides clear the milters and restrictions is ok; a port nobody listens on a blocker")
    func dedicatedListener() {
        #expect(HostPolicyCheck.evaluate(mainCF: Self.mainCF, masterCF: Self.master, port: 10026).map(\.severity) == [.ok])
        let none = HostPolicyCheck.evaluate(mainCF: Self.mainCF, masterCF: Self.master, port: 2525)
        #expect(none.map(\.severity) == [.blocker] && none[0].message.contains("no smtpd listener on port 2525"))
    }
}

/// myhostname and the inbound policy read with postconf from copies of the testbed's Postfix
/// configurations.
@Suite("plan hosts against the testbed", .tags(.integration), .requiresTestbed)
struct HostPolicyCheckTestbedTests {
    static func copy(_ source: String, settings: [String]) async throws -> String {
        let directory = NSTemporaryDirectory() + "mailferry-plan-hosts-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        for file in ["main.cf", "master.cf"] { try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(directory)/\(file)") }
        if !settings.isEmpty {
            try await Process.check("/usr/sbin/postconf", ["-c", directory, "-e"] + settings)
        }
        return directory
    }

    @Test("the testbed's two instances: distinct names and a bare listener; a twin with the old name and a policy service is caught")
    func realConfigurations() async throws {
        let testbed = try Testbed.require()
        let port = testbed.new.smtp.port
        let plain = try await Self.copy(testbed.new.postfixConfigDir, settings: [])
        let oldName = try await LocalHost().check(["/usr/sbin/postconf", "-c", testbed.old.postfixConfigDir, "-h", "myhostname"]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let twin = try await Self.copy(testbed.new.postfixConfigDir, settings: [
            "myhostname=" + oldName,
            "smtpd_recipient_restrictions=permit_mynetworks,check_policy_service inet:127.0.0.1:10023,reject_unauth_destination",
        ])
        defer { for directory in [plain, twin] { try? FileManager.default.removeItem(atPath: directory) } }
        let old = PostfixHost(host: LocalHost(), configDirectory: testbed.old.postfixConfigDir)
        let good = await HostPolicyCheck(old: old, new: PostfixHost(host: LocalHost(), configDirectory: plain), relayPort: port).run()
        let goodText = good.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
        #expect(good.map(\.severity) == [.ok, .ok], "\(goodText)")
        #expect(good.last?.subject == "relay listener \(testbed.new.smtp.host):\(port)", "\(goodText)")
        let bad = await HostPolicyCheck(old: old, new: PostfixHost(host: LocalHost(), configDirectory: twin), relayPort: port).run()
        let badText = bad.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
        #expect(bad.map(\.severity) == [.blocker, .warning], "\(badText)")
        #expect(bad.first?.message.contains("loop") == true && bad.last?.message.contains("greylisting") == true, "\(badText)")
    }
}
