import ArgumentParser
import Forward
import Foundation
import MailferryConfig
import Migration
import Testing

@testable import MailferryCLI

@Suite struct ForwardCommandTests {
    @Test func flagsMakeListenersAndOverrideLimits() throws {
        let command = try ForwardCommand.parse([
            "--listener", "imap=143=new.example.org:10143", "--listener", "imaps=[::1]:993=[2001:db8::2]:10993",
            "--max-connections-per-source", "7", "--idle-timeout", "40m", "--grace", "5s",
        ])
        let settings = try command.settings()
        #expect(
            settings.configuration.listeners == [
                .init(name: "imap", listen: .init(host: "0.0.0.0", port: 143), upstream: .init(host: "new.example.org", port: 10143)),
                .init(name: "imaps", listen: .init(host: "::1", port: 993), upstream: .init(host: "2001:db8::2", port: 10993)),
            ])
        #expect(settings.configuration.maxConnectionsPerSource == 7)
        #expect(settings.configuration.idleTimeout == .seconds(2400))
        #expect(settings.grace == .seconds(5))
    }

    @Test(arguments: [
        (["--listener", "imap=143"], "expected NAME=LISTEN=UPSTREAM"),
        (["--listener", "imap=143=new.example.org"], "expected NAME=LISTEN=UPSTREAM"),
        (["--listener", "imap=143=new:1", "--grace", "later"], "--grace later: not a duration"),
        ([], "no listeners"),
        (["--listener", "imap=143=new:1", "--max-connections", "0"], "max_connections must be at least 1"),
    ])
    func refusesBadFlags(arguments: [String], expected: String) throws {
        let command = try ForwardCommand.parse(arguments)
        #expect { _ = try command.settings() } throws: { "\($0)".contains(expected) }
    }

    @Test func dryRunTextNamesEveryPortAndWhereItGoes() throws {
        let settings = try ForwardCommand.parse([
            "--listener", "imap=143=new.example.org:10143", "--listener", "submission=0.0.0.0:587=new.example.org:10587",
        ]).settings()
        #expect(
            ForwardOutput.planText(settings) == """
                would forward, each connection preceded by a PROXY v2 header with the client's address:
                  imap: 0.0.0.0:143       -> new.example.org:10143
                  submission: 0.0.0.0:587 -> new.example.org:10587
                limits: 2000 connections, 50 per client address; connect timeout 10s, idle timeout 35m, grace on stop 1m, 262144 bytes buffered per direction

                """)
    }

    @Test func dryRunJSONIsMachineReadable() throws {
        let settings = try ForwardCommand.parse(["--listener", "pop3=110=[2001:db8::2]:10110"]).settings()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ForwardOutput.planJSON(settings).utf8)) as? [String: Any])
        let listeners = try #require(object["listeners"] as? [[String: String]])
        #expect(listeners == [["name": "pop3", "listen": "0.0.0.0:110", "upstream": "[2001:db8::2]:10110"]])
        #expect(object["proxy_protocol"] as? String == "v2")
        #expect(object["idle_timeout_seconds"] as? Double == 2100)
    }

    @Test func helpTeachesTheServerSettings() {
        let help = ForwardCommand.helpMessage(columns: 200)
        for word in ["haproxy = yes", "haproxy_trusted_networks", "smtpd_upstream_proxy_protocol", "--dry-run", "SIGTERM", "74 "] {
            #expect(help.contains(word), "forward --help mentions \(word)")
        }
    }
}
