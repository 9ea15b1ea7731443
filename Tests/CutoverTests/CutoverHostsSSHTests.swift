import Cutover
import Foundation
import MailTestSupport
import Migration
import Testing

/// The old host as the `[cutover]` table names it over SSH: the session's hosts reach a real
/// sshd (Debian's, on a loopback port, keys made by the test) with the configured options,
/// keep their multiplexing socket in the state directory, and log every command with its
/// output to cutover-commands.log.
@Suite(.serialized, .tags(.integration), .enabled(if: PrivateSSHDaemon.canRun, "needs root and openssh-server"))
struct CutoverHostsSSHTests {
    @Test func theConfiguredSSHHostRunsCommandsAndLogsThem() async throws {
        try await PrivateSSHDaemon.with { daemon in
            let state = "\(daemon.directory)/state"
            let config = "\(daemon.directory)/cutover.toml"
            try """
                [source]
                url = "maildir:/nonexistent/{user}"
                [destination]
                url = "maildir:/nonexistent-new/{user}"
                [sync]
                state = "\(state)"
                [[accounts]]
                user = "alice"
                [cutover]
                domains = ["example.com"]
                [cutover.old]
                host = "root@127.0.0.1"
                ssh_options = ["-p", "\(daemon.port)", "-i", "\(daemon.directory)/client_key", "-o", "UserKnownHostsFile=\(daemon.directory)/known_hosts", "-o", "StrictHostKeyChecking=yes"]
                [cutover.new]
                relay_host = "127.0.0.1"
                deliver_locally_command = ["/bin/true"]
                relay_to_old_command = ["/bin/true"]
                close_logins_command = ["/bin/true"]
                open_logins_command = ["/bin/true"]
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let hosts = try CutoverSession.open(configPath: config).hosts()
            let ssh = try #require(hosts.old as? SSHHost)
            #expect(ssh.name == "root@127.0.0.1")
            let output = try await hosts.old.check(["/bin/echo", "from the old host"])
            #expect(output.standardOutput == "from the old host\n")
            let sockets = try FileManager.default.contentsOfDirectory(atPath: "\(state)/ssh").filter { $0.hasPrefix("control-") }
            #expect(sockets.count == 1, "one multiplexed connection, its socket in the state directory")
            let log = try String(contentsOfFile: "\(state)/cutover-commands.log", encoding: .utf8)
            #expect(log.contains("root@127.0.0.1$ /bin/echo 'from the old host'") && log.contains("stdout| from the old host"), "\(log)")
            try await ssh.close()
        }
    }
}
