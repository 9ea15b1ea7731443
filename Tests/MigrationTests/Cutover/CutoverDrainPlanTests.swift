import Cutover
import Foundation
import MailferryConfig
import Testing

@testable import Migration

/// `[cutover.drain] plan_report`: the drain waits the longest TTL `mailferry plan` measured,
/// unless `drain.ttl` says otherwise.
@Suite struct CutoverDrainPlanTests {
    static let report = """
        {"accounts": [], "domains": ["example.com"], "findings": [], "format": 1, "generated": "2026-12-06T17:00:00Z", "records": [],
         "schedule": {"decommissionAfterSeconds": 432000, "longestTTL": 172800, "longestTTLRecord": "mail.example.com A", "marginSeconds": 86400}}
        """

    /// Opens a session of a config with `drain` in a directory of its own, removed afterwards.
    static func open(drain: String, report: String?) throws -> CutoverSession {
        let directory = NSTemporaryDirectory() + "mailferry-drain-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if let report { try report.write(toFile: directory + "/plan.json", atomically: true, encoding: .utf8) }
        let config = CutoverConfigTests.base.replacingOccurrences(of: "[[accounts]]", with: "[sync]\nstate = \"\(directory)/state\"\n[[accounts]]")
            + "[cutover.drain]\n" + drain
        try config.write(toFile: directory + "/cutover.toml", atomically: true, encoding: .utf8)
        return try CutoverSession.open(configPath: directory + "/cutover.toml")
    }

    @Test("without drain.ttl the plan report's longest TTL is the drain's; the path is relative to the config file")
    func theReportsTTL() throws {
        let session = try Self.open(drain: "plan_report = \"plan.json\"\n", report: Self.report)
        #expect(session.cutover.ttl == .seconds(172_800))
        #expect(session.cutover.planned?.longestTTLRecord == "mail.example.com A")
        #expect(session.cutover.margin == CutoverConfig.defaultMargin)
    }

    @Test("an explicit drain.ttl wins, and the report is then not read")
    func explicitTTLWins() throws {
        let session = try Self.open(drain: "ttl = \"2h\"\nplan_report = \"missing.json\"\n", report: nil)
        #expect(session.cutover.ttl == .seconds(7200) && session.cutover.planned == nil)
    }

    @Test("with [plan] old_addresses the drain watches DNS, and `cutover plan` shows what it asks; without, it says so")
    func thePlanShowsTheDNSWatch() async throws {
        let hosts = CutoverHosts(old: HostCutoverEffectsTests.ScriptedHost(name: "old"), new: HostCutoverEffectsTests.ScriptedHost(name: "new"),
                                 oldPostfix: "/etc/postfix", newPostfix: "/etc/postfix", domains: CutoverDomains(["example.com"]))
        func drainLines(_ session: CutoverSession) async throws -> [String] {
            try #require(try await CutoverPlanner(session: session, hosts: hosts).plan().steps.first { $0.step == "drain-check" }).commands
        }
        let plain = try Self.open(drain: "ttl = \"2h\"\n", report: nil)
        #expect(!plain.watchesDNS)
        #expect(try await drainLines(plain).last == "DNS not watched (no [plan] old_addresses): the drain's TTL is 7200 s")

        var watched = try Self.open(drain: "ttl = \"2h\"\n[plan]\ndomains = [\"example.com\"]\nold_addresses = [\"192.0.2.10\"]\nnew_addresses = [\"198.51.100.20\"]\n", report: nil)
        #expect(watched.watchesDNS && watched.plan?.oldAddresses == ["192.0.2.10"])
        watched.dnsWatch = HostCutoverEffectsDNSTests.ScriptedDNS([HostCutoverEffectsDNSTests.allNew])
        #expect(try await drainLines(watched).suffix(2) == [
            "DNS, one round per check: the scripted servers",
            "DNS: decommission once every answer leads to the new server and the last old answer's TTL + 3600 s margin has passed "
                + "(old answers are journaled when seen)",
        ])
    }

    @Test("a missing report, one of another format and one without a schedule are refused with what to do", arguments: [
        (nil as String?, "cannot read the plan report"),
        (report.replacingOccurrences(of: "\"format\": 1", with: "\"format\": 2"), "format 2"),
        (report.replacingOccurrences(of: "\"schedule\"", with: "\"unused\""), "--no-dns"),
        ("{}", "is not a report of mailferry plan --json"),
    ])
    func badReports(report: String?, expected: String) {
        #expect { _ = try Self.open(drain: "plan_report = \"plan.json\"\n", report: report) } throws: { "\($0)".contains(expected) }
    }
}
