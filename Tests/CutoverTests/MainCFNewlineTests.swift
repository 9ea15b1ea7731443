import Foundation
import MailTestSupport
import Testing

@testable import Cutover

/// postconf -e on a main.cf without a final newline glues the new setting onto the last
/// line; the plan's parameter change adds the newline first.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/postconf"), "needs Debian's postfix package"))
struct MainCFNewlineTests {
    @Test func settingAParameterKeepsAnUnterminatedLastLineIntact() async throws {
        let directory = NSTemporaryDirectory() + "mailferry-maincf-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "myhostname = old.test\nalias_maps = hash:/etc/aliases".write(toFile: "\(directory)/main.cf", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: "/etc/postfix/master.cf", toPath: "\(directory)/master.cf")
        let postfix = PostfixHost(host: LocalHost(), configDirectory: directory)
        var outcome = PlanOutcome()
        try await postfix.perform(.setParameters([PostfixParameter("soft_bounce", "yes")]), heldBefore: [], outcome: &outcome)
        #expect(try await postfix.value("alias_maps") == "hash:/etc/aliases")
        #expect(try await postfix.value("soft_bounce") == "yes")
    }

    /// Over ssh too, and main.cf keeps its owner, group and mode: the newline is appended in
    /// place, never by writing a new file (which over ssh would be root's, with the mode given).
    @Test(.tags(.integration), .enabled(if: PrivateSSHDaemon.canRun, "needs root and openssh-server"))
    func overSSHTheFileKeepsItsOwnerAndMode() async throws {
        try await PrivateSSHDaemon.with { daemon in
            let directory = "\(daemon.directory)/postfix"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let mainCF = "\(directory)/main.cf"
            try "myhostname = old.test\nalias_maps = hash:/etc/aliases".write(toFile: mainCF, atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(atPath: "/etc/postfix/master.cf", toPath: "\(directory)/master.cf")
            try FileManager.default.setAttributes([.posixPermissions: 0o640, .ownerAccountID: 65534, .groupOwnerAccountID: 65534], ofItemAtPath: mainCF)
            let ssh = daemon.host()
            let postfix = PostfixHost(host: ssh, configDirectory: directory)
            var outcome = PlanOutcome()
            try await postfix.perform(.setParameters([PostfixParameter("soft_bounce", "yes")]), heldBefore: [], outcome: &outcome)
            #expect(try await postfix.value("alias_maps") == "hash:/etc/aliases")
            #expect(try await postfix.value("soft_bounce") == "yes")
            #expect(try await LocalHost().check(["/usr/bin/stat", "-c", "%u:%g %a", mainCF]).standardOutput == "65534:65534 640\n")
            try await ssh.close()
        }
    }
}
