import ArgumentParser
import Foundation
import MailTestSupport
@testable import MailferryCLI
@testable import Plan
import Testing

@Suite struct PlanCommandTests {
    static func config(_ extra: String) throws -> String {
        let directory = NSTemporaryDirectory() + "mailferry-plan-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let path = directory + "/m.toml"
        try ("[source]\nurl = \"imap://127.0.0.1:1\"\n[destination]\nurl = \"imap://127.0.0.1:2\"\n[[accounts]]\nuser = \"a\"\n" + extra)
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("without a [plan] table the DNS checks cannot run: a usage error, not an empty plan")
    func needsAPlanTable() async throws {
        let path = try Self.config("")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let command = try PlanCommand.parse(["--config", path, "--no-accounts"])
        await #expect(throws: ExitCode(64)) { try await command.run() }
    }

    @Test("a bad [plan] value is a usage error naming the setting")
    func badPlanValue() async throws {
        let path = try Self.config("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"not-an-address\"]\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let command = try PlanCommand.parse(["--config", path])
        await #expect(throws: ExitCode(64)) { try await command.run() }
    }

    @Test("--help and docs/admin/plan.md give the reload time the freeze estimate adds, not another figure")
    func reloadFigure() throws {
        let figure = FreezeEstimate.format(FreezeEstimate.reloads) + " s"
        let help = PlanCommand.helpMessage(columns: 200).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("plus \(figure) of Postfix reloads"), "\(help)")
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/admin/plan.md").standardized
        let text = try String(contentsOf: docs, encoding: .utf8)
        #expect(text.contains("- **reloads**: \(figure) for the old Postfix's hold and relay reloads"))
    }

    @Test("the timed sample's options: defaults as --help and docs/admin/plan.md give them, 0 accounts turns it off")
    func sampleOptions() throws {
        let defaults = try PlanCommand.parse(["--config", "m.toml"])
        #expect(defaults.sampleAccounts == 3 && defaults.sampleSeconds == 30)
        let off = try PlanCommand.parse(["--config", "m.toml", "--sample-accounts", "0", "--sample-seconds", "5"])
        #expect(off.sampleAccounts == 0 && off.sampleSeconds == 5 && TimingSample(accounts: off.sampleAccounts) == nil)
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/admin/plan.md").standardized
        let text = try String(contentsOf: docs, encoding: .utf8).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("(`--sample-accounts N`, default 3;") && text.contains("(`--sample-seconds`, default 30)"))
    }
}

/// `mailferry plan` against the testbed's two Postfix instances, as scripts/demo runs it.
@Suite("plan --no-dns against the testbed", .tags(.integration), .requiresTestbed)
struct PlanCommandTestbedTests {
    @Test("--no-dns skips only the DNS part: the old Postfix's addresses are still checked against the new one's")
    func addressesWithoutDNS() async throws {
        let testbed = try Testbed.require()
        let path = try PlanCommandTests.config("""
            [plan]
            domains = ["\(testbed.old.domain)"]
            new_addresses = ["127.0.0.1"]
            old_host = "local"
            old_postfix = "\(testbed.old.postfixConfigDir)"
            new_postfix = "\(testbed.new.postfixConfigDir)"

            """)
        let directory = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let command = try PlanCommand.parse(["--config", path, "--no-dns", "--no-accounts", "--json", directory + "/plan.json"])
        do {
            try await command.run()
        } catch let code as ExitCode {
            #expect(code == ExitCode(1), "only a blocker may fail it")
        }
        let report = try PlanReport.decode(json: Data(contentsOf: URL(fileURLWithPath: directory + "/plan.json")))
        let text = report.findings.map { "\($0.severity) [\($0.area)] \($0.subject): \($0.message)" }.joined(separator: "\n")
        #expect(report.findings.contains { $0.area == "addresses" }, "\(text)")
        #expect(report.findings.contains { $0.area == "hosts" && $0.subject == "myhostname" }, "\(text)")
        #expect(report.schedule == nil && report.dnsSkipped?.hasPrefix("The plan ran with --no-dns") == true)
    }
}
