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
