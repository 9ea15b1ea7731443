import Foundation
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
}
