import Cutover
import Foundation
import Testing

/// SSHHost without an sshd: a stand-in `ssh` that, like the real client, hands the last
/// argument to a shell on the "remote" side. So the quoting, the remote timeout and the file
/// operations are exercised through a real /bin/sh.
struct SSHHostTests {
    static func fakeSSH() throws -> String {
        let path = NSTemporaryDirectory() + "mailferry-fake-ssh-\(UUID().uuidString)"
        try "#!/bin/sh\n# options, destination, --, then the remote command line\nfor last; do :; done\nexec /bin/sh -c \"$last\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func argvIsMultiplexedAndQuotedForTheRemoteShell() {
        let host = SSHHost(destination: "root@old.example", controlPath: "/run/mailferry/ssh-%C", options: ["-p", "2222"])
        #expect(host.sshArgv(["/usr/sbin/postconf", "-e", "a=b c"], timeout: .seconds(60)) == [
            "/usr/bin/ssh", "-o", "BatchMode=yes", "-o", "ControlMaster=auto", "-o", "ControlPath=/run/mailferry/ssh-%C",
            "-o", "ControlPersist=120", "-o", "ServerAliveInterval=15", "-p", "2222", "-o", "StrictHostKeyChecking=yes",
            "root@old.example", "--", "timeout --kill-after=5 60 /usr/sbin/postconf -e 'a=b c'",
        ])
        // The admin's own explicit choice, in either spelling ssh takes, wins over the default.
        for options in [["-o", "StrictHostKeyChecking=accept-new"], ["-oStrictHostKeyChecking accept-new"]] {
            let chosen = SSHHost(destination: "root@old.example", controlPath: "/run/mailferry/ssh-%C", options: options)
            #expect(!chosen.sshArgv(["/bin/true"], timeout: .seconds(60)).contains("StrictHostKeyChecking=yes"))
        }
    }

    @Test func argumentsArriveIntactAndEveryCommandIsLogged() async throws {
        let ssh = try Self.fakeSSH()
        defer { try? FileManager.default.removeItem(atPath: ssh) }
        let transcript = CommandTranscript()
        let host = SSHHost(destination: "old", controlPath: "/nonexistent", sshPath: ssh, log: transcript)
        let tricky = ["it's", "$HOME", "a b", "{echo x; exit 75}", "*", ""]
        let output = try await host.check(["/usr/bin/printf", "[%s]\\n"] + tricky)
        #expect(output.standardOutput == tricky.map { "[\($0)]\n" }.joined())
        #expect(transcript.commands.first?.hasPrefix("old$ /usr/bin/printf") == true)
    }

    @Test func filesGoThroughTheRemoteShellAtomically() async throws {
        let ssh = try Self.fakeSSH()
        defer { try? FileManager.default.removeItem(atPath: ssh) }
        let host = SSHHost(destination: "old", controlPath: "/nonexistent", sshPath: ssh)
        let path = NSTemporaryDirectory() + "mailferry-ssh-file \(UUID().uuidString)"
        #expect(try await host.readFile(path) == nil)
        let content = Array("/@store\\.test$/\tHOLD it's held\n".utf8)
        try await host.writeFile(path, content, permissions: 0o640)
        #expect(try await host.readFile(path) == content)
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == content)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        #expect(!FileManager.default.fileExists(atPath: path + ".mailferry-tmp"))
        try await host.removeFile(path)
        #expect(try await host.readFile(path) == nil)
    }

    @Test func aLostConnectionIsAnErrorNotAnExitStatus() async throws {
        let ssh = NSTemporaryDirectory() + "mailferry-refused-ssh-\(UUID().uuidString)"
        try "#!/bin/sh\necho 'ssh: connect to host old port 22: Connection refused' >&2\nexit 255\n"
            .write(toFile: ssh, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ssh)
        defer { try? FileManager.default.removeItem(atPath: ssh) }
        let host = SSHHost(destination: "old", controlPath: "/nonexistent", sshPath: ssh)
        await #expect(throws: CutoverError.cannotRun(host: "old", command: "/bin/true", reason: "ssh: ssh: connect to host old port 22: Connection refused")) {
            _ = try await host.run(HostCommand(["/bin/true"]))
        }
    }
}
