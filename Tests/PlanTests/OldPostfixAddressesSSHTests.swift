import Cutover
import Foundation
import MailTestSupport
import Testing

@testable import Plan

/// `plan` reads the old host's alias maps over ssh when the old host is remote: a Postfix
/// configuration with aliases of the test's own, read through a real sshd (Debian's, on a
/// loopback port, keys made by the test) with the old host's own postconf and postmap.
@Suite(.serialized, .tags(.integration), .enabled(if: PrivateSSHDaemon.canRun && FileManager.default.isExecutableFile(atPath: "/usr/sbin/postmap"),
                                                  "needs root, openssh-server and postfix"))
struct OldPostfixAddressesSSHTests {
    @Test func theAliasMapsAreReadOverSSHAsTheyAreLocally() async throws {
        try await PrivateSSHDaemon.with { daemon in
            let directory = "\(daemon.directory)/postfix"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            try FileManager.default.copyItem(atPath: "/etc/postfix/master.cf", toPath: "\(directory)/master.cf")
            try """
                myhostname = mx.old.plan.test
                mydestination = old.plan.test, localhost
                alias_maps = hash:\(directory)/aliases
                local_recipient_maps = $alias_maps
                virtual_alias_maps = hash:\(directory)/virtual, regexp:\(directory)/virtual.regexp

                """.write(toFile: "\(directory)/main.cf", atomically: true, encoding: .utf8)
            try "postmaster: root\nsales: alice, bob\narchive: /var/mail/archive\nlist: \"|/usr/bin/true\"\n"
                .write(toFile: "\(directory)/aliases", atomically: true, encoding: .utf8)
            try "info@old.plan.test alice\n@old.plan.test bob\nx@other.test y\n".write(toFile: "\(directory)/virtual", atomically: true, encoding: .utf8)
            try "/^z@old\\.plan\\.test$/ alice\n".write(toFile: "\(directory)/virtual.regexp", atomically: true, encoding: .utf8)
            let local = LocalHost()
            try await local.check(["/usr/sbin/postalias", "-c", directory, "hash:\(directory)/aliases"])
            try await local.check(["/usr/sbin/postmap", "-c", directory, "hash:\(directory)/virtual"])

            let transcript = CommandTranscript()
            let ssh = SSHHost(destination: daemon.destination, controlPath: "\(daemon.directory)/control-%C", options: daemon.sshOptions, log: transcript)
            let overSSH = try await OldPostfixAddresses(postfix: PostfixHost(host: ssh, configDirectory: directory)).addresses(for: ["old.plan.test"])
            try await ssh.close()
            let here = try await OldPostfixAddresses(configDirectory: directory).addresses(for: ["old.plan.test"])

            #expect(overSSH == here)
            #expect(Set(overSSH.addresses.map(\.address)) == ["postmaster@old.plan.test", "sales@old.plan.test", "archive@old.plan.test",
                                                            "list@old.plan.test", "info@old.plan.test"])
            #expect(Set(overSSH.local.map(\.address)) == ["archive@old.plan.test", "list@old.plan.test"])
            #expect(overSSH.catchAll.map(\.address) == ["@old.plan.test"])
            #expect(overSSH.unlisted.map(\.map) == ["regexp:\(directory)/virtual.regexp"], "\(overSSH.unlisted)")
            // Every question went to the old host through ssh, and only questions.
            let commands = transcript.outputs.map(\.command.argv)
            #expect(!commands.isEmpty && commands.allSatisfy { ["/usr/sbin/postconf", "/usr/sbin/postmap"].contains($0[0]) }, "\(commands)")
            #expect(commands.contains(["/usr/sbin/postmap", "-c", directory, "-s", "hash:\(directory)/aliases"]))
            #expect(daemon.log.contains("Accepted publickey for root"))
        }
    }
}
