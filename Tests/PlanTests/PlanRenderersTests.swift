import Foundation
import MailferryConfig
import Migration
import Plan
import Testing

@Suite struct PlanRenderersTests {
    static let report = PlanReport(
        generated: Date(timeIntervalSince1970: 1_796_000_000), domains: ["example.com"],
        findings: [
            PlanFinding(area: "dns", subject: "example.com", severity: .ok, message: "MX fine"),
            PlanFinding(area: "dns", subject: "<script>alert(1)</script>", severity: .blocker, message: "a & b", action: "fix \"it\""),
            PlanFinding(area: "dns", subject: "backup.example.com", severity: .warning, message: "backup MX", action: "relay"),
        ],
        records: [PlanRecord(name: "mail.example.com", type: "A", value: "192.0.2.10", ttl: 3600, role: "mx-host", pointsToOld: true)],
        schedule: PlanSchedule(longestTTL: 3600, longestTTLRecord: "mail.example.com A", marginSeconds: 86_400, switchAt: nil))

    @Test("the text shows blockers first, then warnings, then ok, each action under its finding")
    func text() throws {
        let lines = PlanTextRenderer().render(Self.report).split(separator: "\n").map(String.init)
        let blocker = try #require(lines.firstIndex { $0.hasPrefix("BLOCKER") })
        let warning = try #require(lines.firstIndex { $0.hasPrefix("WARNING") })
        let ok = try #require(lines.firstIndex { $0.hasPrefix("ok") })
        #expect(blocker < warning && warning < ok)
        #expect(lines[blocker + 1].contains("fix \"it\""))
        #expect(lines.contains("Decommission the old server: 120 h after the switch"))
    }

    @Test("the HTML page escapes what servers and configs put in findings")
    func html() {
        let html = PlanHTMLRenderer().render(Self.report)
        #expect(html.contains("BLOCKERS FOUND"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("a &amp; b") && html.contains("fix &quot;it&quot;"))
    }

    @Test("a blocker exits 1, warnings alone exit 0")
    func exitStatus() {
        #expect(ExitStatus(Self.report.worst) == .partial)
        #expect(ExitStatus(PlanFinding.Severity.warning) == .success)
    }
}
