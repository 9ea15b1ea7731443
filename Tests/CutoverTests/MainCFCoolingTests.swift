import Foundation
import Testing

@testable import Cutover

/// Postfix reads a main.cf changed less than two whole seconds ago as a "hot" file: it reads it
/// again and again until the file is that old (docs/admin/cutover-postfix.md, (g)). A plan's
/// parameter change must not leave main.cf hot, or the next Postfix command (the reload inside
/// the freeze) waits.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/postconf"), "needs Debian's postfix package"))
struct MainCFCoolingTests {
    func withConfig(_ body: (PostfixHost, String) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "mailferry-maincf-cool-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "myhostname = old.test\nrecipient_bcc_maps = regexp:/dev/null\n".write(toFile: "\(directory)/main.cf", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: "/etc/postfix/master.cf", toPath: "\(directory)/master.cf")
        try await body(PostfixHost(host: LocalHost(), configDirectory: directory), "\(directory)/main.cf")
    }

    /// Whole seconds, as Postfix compares them (`st_mtime` against `time()`).
    func modified(_ path: String) throws -> Int {
        let date = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
        return Int(date.timeIntervalSince1970.rounded(.down))
    }

    /// What the plans work around, on this Postfix: a lower bound, so a loaded machine cannot
    /// make it fail.
    @Test func postconfWaitsForAFreshlyWrittenMainCF() async throws {
        try await withConfig { postfix, path in
            try "myhostname = hot.test\n".write(toFile: path, atomically: true, encoding: .utf8)
            let output = try await postfix.host.check(postfix.command("postconf", ["-h", "myhostname"]))
            #expect(output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "hot.test")
            #expect(output.duration >= .milliseconds(900), "postconf took \(output.duration)")
        }
    }

    @Test func parameterChangesLeaveMainCFOldEnoughForPostfixToReadAtOnce() async throws {
        try await withConfig { postfix, path in
            var outcome = PlanOutcome()
            for change: PostfixChange in [.setParameters([PostfixParameter("soft_bounce", "yes")]), .removeParameters(["recipient_bcc_maps"])] {
                try await postfix.perform(change, heldBefore: [], outcome: &outcome)
                let now = Int(Date().timeIntervalSince1970.rounded(.down))
                // Postfix reads at once when st_mtime < time() - 1.
                #expect(try modified(path) <= now - 2, "\(change)")
            }
            #expect(try await postfix.value("soft_bounce") == "yes")
            #expect(try await postfix.value("recipient_bcc_maps").isEmpty)
        }
    }

    /// The dry run shows the one command the change runs: postconf, then the cooling touch.
    @Test func theDryRunShowsTheCooling() throws {
        let postfix = PostfixHost(host: LocalHost(), configDirectory: "/etc/postfix")
        let lines = PostfixChange.setParameters([PostfixParameter("soft_bounce", "yes")]).commands(in: postfix)
        let line = try #require(lines.first)
        #expect(lines.count == 1 && line.hasPrefix("/bin/sh -c '"), "\(lines)")
        #expect(line.hasSuffix(" sh /etc/postfix/main.cf terminate /usr/sbin/postconf -c /etc/postfix -e soft_bounce=yes"), "\(line)")
        #expect(line.contains("/usr/bin/touch -m -d"), "\(line)")
    }

    /// Each main.cf edit is one command on the host (over ssh one round trip, inside the
    /// freeze), with main.cf's path passed as an argument: a directory whose name has a
    /// space and a quote is edited, keeps its mode and is left cool.
    @Test func eachEditIsOneCommandAndAStrangePathStaysOneWord() async throws {
        let directory = NSTemporaryDirectory() + "mailferry-maincf it's \(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/main.cf"
        try "myhostname = old.test\nrecipient_bcc_maps = regexp:/dev/null".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: "/etc/postfix/master.cf", toPath: "\(directory)/master.cf")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let transcript = CommandTranscript()
        let postfix = PostfixHost(host: LocalHost(log: transcript), configDirectory: directory)
        var outcome = PlanOutcome()
        try await postfix.perform(.setParameters([PostfixParameter("soft_bounce", "yes")]), heldBefore: [], outcome: &outcome)
        try await postfix.perform(.removeParameters(["recipient_bcc_maps"]), heldBefore: [], outcome: &outcome)
        #expect(transcript.outputs.map(\.command.argv.first) == ["/bin/sh", "/bin/sh"], "\(transcript.commands)")
        #expect(transcript.outputs.allSatisfy { $0.command.argv[4] == path })
        #expect(try modified(path) <= Int(Date().timeIntervalSince1970.rounded(.down)) - 2)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o640)
        // The unterminated last line got its newline before postconf appended to it.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "myhostname = old.test\nsoft_bounce = yes\n")
    }
}
