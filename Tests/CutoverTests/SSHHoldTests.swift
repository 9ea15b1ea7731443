import Cutover
import Foundation
import MailTestSupport
import Testing

/// The hold driven over a real OpenSSH connection (Debian's sshd on a loopback port, keys made
/// by the test), against a private Postfix: what `mailferry cutover` does to a remote old host.
@Suite(.serialized, .tags(.integration), .enabled(if: PrivateSSHDaemon.canRun && PrivatePostfix.canRun, "needs root, openssh-server and postfix"))
struct SSHHoldTests {
    @Test func theHoldIsAppliedOverOneMultiplexedConnectionAndLogged() async throws {
        try await PrivateSSHDaemon.with { daemon in
            let transcript = CommandTranscript()
            let ssh = daemon.host(log: transcript)
            try await PrivatePostfix.with("ssh", hostname: "mx.old.cutover.test", host: ssh) { old in
                let domains = CutoverDomains([PrivatePostfix.domain])
                let outcome = try await old.postfix.apply(HoldPlan(domains: domains).plan(
                    current: try await old.postfix.explicitSettings(), mailferryDirectory: old.postfix.mailferryDirectory))
                #expect(outcome.reloads.count == 1)
                let checks = try await old.postfix.verifyHold(domains)
                #expect(checks.filter { !$0.passed }.isEmpty, "\(checks)")
                try await old.sendSMTP(to: "alice@store.test", subject: "held over ssh")
                #expect(try await old.postfix.queue().map(\.queueName) == ["hold"])
                // The map files went through the remote shell.
                let map = try String(contentsOfFile: "\(old.postfix.mailferryDirectory)/cutover-hold.regexp", encoding: .utf8)
                #expect(map.contains("/@store\\.test$/\tHOLD"))
            }
            // One master connection carried every command.
            let sockets = try FileManager.default.contentsOfDirectory(atPath: daemon.directory).filter { $0.hasPrefix("control-") }
            #expect(sockets.count == 1)
            try await ssh.close()
            let log = try String(contentsOfFile: "\(daemon.directory)/sshd.log", encoding: .utf8)
            #expect(log.components(separatedBy: "Accepted publickey for root").count - 1 == 1)
            #expect(transcript.commands.contains { $0.hasPrefix("root@127.0.0.1$ /usr/sbin/postfix -c ") && $0.hasSuffix(" reload") })
            // Nonzero only where it is an answer: readFile's "no such file" (3) for the backup
            // that did not exist yet.
            let failed = transcript.outputs.filter { $0.status != 0 }
            #expect(failed.allSatisfy { $0.status == 3 && $0.command.argv.first == "/bin/sh" }, "\(failed.map(\.command))")
        }
    }
}
