import Cutover
import Foundation
import MailTestSupport
import Testing

/// SSHHost against a real OpenSSH server (Debian's sshd on a loopback port, keys and
/// known_hosts made by the test, passed with `-F`): commands, files, the one multiplexed
/// connection, failures, and the host key check.
@Suite(.serialized, .tags(.integration), .enabled(if: PrivateSSHDaemon.canRun, "needs root and openssh-server"))
struct SSHHostIntegrationTests {
    @Test func commandsShareOneConnectionAndFailuresAreLoggedWithTheirOutput() async throws {
        try await PrivateSSHDaemon.with { daemon in
            let transcript = CommandTranscript()
            let ssh = daemon.host(log: transcript)
            let echoed = try await ssh.check(["/bin/echo", "it's", "$HOME", "a  b"])
            #expect(echoed.standardOutput == "it's $HOME a  b\n")
            // A failing command is an answer, not a lost connection: its status and both
            // streams come back and are logged.
            let failed = try await ssh.run(HostCommand(["/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"]))
            #expect(failed.status == 3 && failed.standardOutput == "to-stdout\n" && failed.standardError == "to-stderr\n")
            await #expect(throws: CutoverError.self) { try await ssh.check(["/bin/false"]) }
            let input = try await ssh.check(["/bin/cat"], input: Array("through stdin\n".utf8))
            #expect(input.standardOutput == "through stdin\n")
            let logged = transcript.outputs
            #expect(logged.count == 4)
            #expect(logged.contains { $0.status == 3 && $0.standardError == "to-stderr\n" && $0.command.argv.first == "/bin/sh" })
            #expect(transcript.commands.allSatisfy { $0.hasPrefix("root@127.0.0.1$ ") }, "\(transcript.commands)")
            let sockets = try FileManager.default.contentsOfDirectory(atPath: daemon.directory).filter { $0.hasPrefix("control-") }
            #expect(sockets.count == 1)
            try await ssh.close()
            #expect(daemon.log.components(separatedBy: "Accepted publickey for root").count - 1 == 1, "one connection: \(daemon.log)")
        }
    }

    /// Every byte value, invalid UTF-8 and CR LF survive a write and a read back.
    @Test func filesAreBinarySafe() async throws {
        try await PrivateSSHDaemon.with { daemon in
            let ssh = daemon.host()
            let path = "\(daemon.directory)/binary file's"
            let bytes: [UInt8] = Array(0...255) + [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82, 0x0D, 0x0A, 0x80] + Array("tail\r\n".utf8)
            #expect(try await ssh.readFile(path) == nil)
            try await ssh.writeFile(path, bytes, permissions: 0o600)
            #expect(FileManager.default.contents(atPath: path).map(Array.init) == bytes)
            #expect(try await ssh.readFile(path) == bytes)
            let empty = "\(daemon.directory)/empty"
            try await ssh.writeFile(empty, [], permissions: 0o644)
            #expect(try await ssh.readFile(empty) == [])
            try await ssh.close()
        }
    }

    /// A host key other than the one in known_hosts is refused with an error that says so,
    /// even when the ssh config in force turns checking off; nothing runs on the host.
    @Test func aChangedOrUnknownHostKeyIsRefusedWhateverTheConfigSays() async throws {
        try await PrivateSSHDaemon.with { daemon in
            let lax = "\(daemon.directory)/lax_config"
            let config = try String(contentsOfFile: "\(daemon.directory)/ssh_config", encoding: .utf8)
            try (config + "    StrictHostKeyChecking no\n").write(toFile: lax, atomically: true, encoding: .utf8)
            let marker = "\(daemon.directory)/ran"
            try await PrivateSSHDaemon.generateKey("\(daemon.directory)/other_key")
            try daemon.trust(hostKey: "\(daemon.directory)/other_key.pub")
            let changed = daemon.host(options: ["-F", lax])
            do {
                _ = try await changed.run(HostCommand(["/usr/bin/touch", marker]))
                Issue.record("a changed host key was accepted")
            } catch CutoverError.cannotRun(_, _, let reason) {
                #expect(reason.contains("host key verification failed: the host key differs from the one in known_hosts"), "\(reason)")
                #expect(reason.contains("known_hosts:1"), "names the offending line: \(reason)")
            }
            try daemon.trust(hostKey: nil)
            do {
                _ = try await changed.run(HostCommand(["/usr/bin/touch", marker]))
                Issue.record("an unknown host key was accepted")
            } catch CutoverError.cannotRun(_, _, let reason) {
                #expect(reason.contains("host key verification failed: no known host key"), "\(reason)")
            }
            #expect(!FileManager.default.fileExists(atPath: marker))
            #expect(try String(contentsOfFile: daemon.knownHosts, encoding: .utf8).isEmpty, "nothing added to known_hosts")
            // The right key, and the same lax config: accepted.
            try daemon.trust(hostKey: "\(daemon.directory)/host_key.pub")
            try await changed.check(["/usr/bin/touch", marker])
            #expect(FileManager.default.fileExists(atPath: marker))
            try await changed.close()
        }
    }
}
