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

    @Test("without DNS records the page, the text and the JSON say why and what to add, instead of an empty table")
    func noRecords() throws {
        var report = PlanReport(generated: Date(timeIntervalSince1970: 1_796_000_000), domains: [], findings: [], records: [], schedule: nil)
        report.dnsSkipped = PlanRunner.dnsSkippedReason(nil)
        let html = PlanHTMLRenderer().render(report)
        #expect(!html.contains("<table class=\"records\">"))
        #expect(html.contains("<p class=\"none\">None. The config has no [plan] table, so it names no mail domains"))
        #expect(html.contains("domains = [&quot;example.com&quot;]"))
        #expect(PlanTextRenderer().render(report).contains("DNS not checked: The config has no [plan] table"))
        let decoded = try PlanReport.decode(json: Data(try report.json().utf8))
        #expect(decoded.dnsSkipped == report.dnsSkipped)
        let ran = PlanReport(generated: Date(), domains: ["example.com"], findings: [], records: [], schedule: nil)
        #expect(PlanHTMLRenderer().render(ran).contains("None. No record was read: the dns findings above say why."))
        #expect(PlanHTMLRenderer().render(Self.report).contains("<table class=\"records\">"))
        #expect(PlanRunner.dnsSkippedReason(PlanConfig(domains: ["example.com"])).hasPrefix("The plan ran with --no-dns: no DNS record of example.com was read"))
    }

    @Test("the bulk copy and the freeze appear with their assumptions in the text, the page and the JSON")
    func estimates() throws {
        var report = Self.report
        report.accounts = FreezeEstimateTests.sampled
        report.freeze = FreezeEstimate.estimate(accounts: report.accounts, parallel: 2, deltaMessages: 50, maildirDestination: false)
        let text = PlanTextRenderer().render(report)
        #expect(text.contains("Bulk copy (first sync of every account): at least 6.0 s, assuming\n  - the old server was read at"), "\(text)")
        #expect(text.contains("  - a read-only plan cannot time the new server's writes, so this is a lower bound"))
        let html = PlanHTMLRenderer().render(report)
        #expect(html.contains("<h2>Bulk copy</h2><p>At least 6.0 s for the first sync of every account") && html.contains("<h2>Freeze</h2>"))
        let decoded = try PlanReport.decode(json: Data(report.json().utf8))
        #expect(decoded == report && decoded.freeze?.bulkCopy?.measured == true && decoded.accounts[0].sample?.messagesRead == 100)
    }

    @Test("a blocker exits 1, warnings alone exit 0")
    func exitStatus() {
        #expect(ExitStatus(Self.report.worst) == .partial)
        #expect(ExitStatus(PlanFinding.Severity.warning) == .success)
    }
}
