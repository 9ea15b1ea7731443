import Foundation
import PostfixControl
import Testing

/// apply and restore against a private config directory with the real postconf and postmap
/// (no running Postfix: check and reload are left to the testbed integration test).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/postconf"), "needs Debian's postfix package"))
struct PostfixInstanceMirrorTests {
    static func makeConfigDirectory(extra: String = "") throws -> String {
        let directory = NSTemporaryDirectory() + "mailferry-postfix-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let mainCF = "# a site's main.cf\nmydestination = old.test, localhost\ntransport_maps = texthash:\(directory)/site-transport\n\(extra)"
        try mainCF.write(toFile: directory + "/main.cf", atomically: true, encoding: .utf8)
        try "smtp inet n - n - - smtpd\n".write(toFile: directory + "/master.cf", atomically: true, encoding: .utf8)
        try "".write(toFile: directory + "/site-transport", atomically: true, encoding: .utf8)
        return directory
    }

    @Test func applyThenRestoreGivesBackTheSameMainCF() throws {
        let directory = try Self.makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let original = try String(contentsOfFile: directory + "/main.cf", encoding: .utf8)
        let instance = PostfixInstance(configDirectory: directory)
        let plan = PostfixMirrorPlan(domains: ["old.test"], route: .mirror(host: "127.0.0.1", port: 10026))
        try instance.applyMirror(plan, checkAndReload: false)
        #expect(try instance.value("transport_maps") == "hash:\(directory)/mailferry/transport, texthash:\(directory)/site-transport")
        #expect(try instance.query("bob@OLD.test", in: "regexp:\(directory)/mailferry/recipient_bcc.regexp") == "bob@old.test.mirror.invalid")
        #expect(try instance.query("old.test.mirror.invalid", in: "hash:\(directory)/mailferry/transport") == "smtp:[127.0.0.1]:10026")
        #expect(try instance.query("bob@other.test", in: "regexp:\(directory)/mailferry/recipient_bcc.regexp") == nil)
        #expect(try instance.verifyMirror(plan).allSatisfy(\.passed))
        // A second apply keeps the first backup (restore must go back to before the first).
        try instance.applyMirror(plan, checkAndReload: false)
        let result = try instance.restoreMirror(checkAndReload: false)
        #expect(result.differences.isEmpty)
        #expect(try String(contentsOfFile: directory + "/main.cf", encoding: .utf8) == original)
        #expect(!FileManager.default.fileExists(atPath: directory + "/mailferry/transport.db"))
        #expect(throws: PostfixError.self) { try instance.restoreMirror(checkAndReload: false) }
    }

    /// postconf -e glues a new setting onto a last line without its newline.
    @Test func applyToAMainCFWithoutItsFinalNewlineKeepsEverySetting() throws {
        let directory = try Self.makeConfigDirectory(extra: "relayhost = [smarthost.test]")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let instance = PostfixInstance(configDirectory: directory)
        let plan = PostfixMirrorPlan(domains: ["old.test"], route: .mirror(host: "127.0.0.1", port: 10026))
        try instance.applyMirror(plan, checkAndReload: false)
        #expect(try instance.value("relayhost") == "[smarthost.test]")
        #expect(try instance.verifyMirror(plan).allSatisfy(\.passed))
        let result = try instance.restoreMirror(checkAndReload: false)
        #expect(result.differences.isEmpty)
        #expect(try instance.value("relayhost") == "[smarthost.test]")
    }

    @Test func restoreReportsSettingsChangedByOthers() throws {
        let directory = try Self.makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let instance = PostfixInstance(configDirectory: directory)
        try instance.applyMirror(PostfixMirrorPlan(domains: ["old.test"], route: .mirror(host: "127.0.0.1", port: 10026)), checkAndReload: false)
        try instance.set([("soft_bounce", "yes")])
        let result = try instance.restoreMirror(checkAndReload: false)
        #expect(result.differences == ["soft_bounce: was unset, now \"yes\""])
    }
}
