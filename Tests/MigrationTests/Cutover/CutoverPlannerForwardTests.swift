import Cutover
import Foundation
import Testing

@testable import Migration

/// `cutover plan` with `[cutover.forward]`: the real `doveconf` and `postconf` of this host
/// read a Dovecot config and a Postfix config directory of the test's own (nothing runs; the
/// host's /etc is only copied), and the plan shows the forwarder's commands.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/doveconf")
    && FileManager.default.isExecutableFile(atPath: "/usr/sbin/postconf") && FileManager.default.fileExists(atPath: "/etc/postfix/main.cf")))
struct CutoverPlannerForwardTests {
    static let dovecot = """
        base_dir = /nonexistent/run
        haproxy_trusted_networks = 192.0.2.10/32
        protocols = imap pop3
        service imap-login {
          inet_listener imap_forwarded {
            port = 10143
            haproxy = yes
          }
        }
        service pop3-login {
          inet_listener pop3_forwarded {
            port = 10110
            haproxy = yes
          }
        }
        ssl = no
        passdb {
          driver = static
          args = password=x
        }
        userdb {
          driver = static
          args = uid=1 gid=1 home=/nonexistent
        }

        """

    @Test func theChecksReadDoveconfAndPostconfOnTheNewHost() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-plan-forward-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/postfix", withIntermediateDirectories: true)
        for file in ["main.cf", "master.cf"] {
            try FileManager.default.copyItem(atPath: "/etc/postfix/\(file)", toPath: "\(directory)/postfix/\(file)")
        }
        let master = try String(contentsOfFile: "\(directory)/postfix/master.cf", encoding: .utf8)
        try (master + "\n10587 inet n - y - - smtpd\n  -o smtpd_upstream_proxy_protocol=haproxy\n")
            .write(toFile: "\(directory)/postfix/master.cf", atomically: true, encoding: .utf8)
        try Self.dovecot.write(toFile: "\(directory)/dovecot.conf", atomically: true, encoding: .utf8)
        let config = CutoverConfigTests.base + """
            [cutover.forward]
            old_address = "192.0.2.10"
            dovecot_config = "\(directory)/dovecot.conf"
            [sync]
            state = "\(directory)/state"

            """
        try config.write(toFile: "\(directory)/c.toml", atomically: true, encoding: .utf8)
        let session = try CutoverSession.open(configPath: "\(directory)/c.toml")
        let local = LocalHost()
        let hosts = CutoverHosts(old: local, new: local, oldPostfix: "\(directory)/postfix", newPostfix: "\(directory)/postfix",
                                 domains: CutoverDomains(["example.com"]))
        let planner = CutoverPlanner(session: session, hosts: hosts)

        let checks = try await planner.forwardChecks()
        #expect(checks.map(\.description) == [
            "[ok] new Dovecot has PROXY listeners: imap-login/imap_forwarded:10143, pop3-login/pop3_forwarded:10110",
            "[ok] haproxy_trusted_networks holds the old host: 192.0.2.10 in haproxy_trusted_networks = 192.0.2.10/32",
            "[ok] old host not in login_trusted_networks: login_trusted_networks = \"\"",
            "[ok] new Postfix has a PROXY submission service: 10587",
        ])
        let report = try await planner.plan()
        let start = try #require(report.steps.first { $0.step == "start-forward" })
        #expect(start.host == "old" && start.phase == "open")
        #expect(start.commands == ["systemctl start mailferry-forward.service", "systemctl is-active mailferry-forward.service   must say active"])
        #expect(report.steps.last?.step == "stop-forward")
        #expect(report.checks.suffix(4).map(\.verdict) == ["ok", "ok", "ok", "ok"])
    }
}
