import DNSCodec
import Foundation
import MailferryConfig
import MailTestSupport
import Migration
import Plan
import Testing

/// `mailferry plan`'s DNS side against Debian's NSD on loopback: a parent zone on
/// 127.0.0.1 delegating to the domain's own server on 127.0.0.2, both on one free port.
@Suite("plan DNS against NSD", .tags(.integration), .enabled(if: PrivateNSD.canRun || ProcessInfo.processInfo.environment["MAILFERRY_REQUIRE_TESTBED"] == "1", "needs Debian's nsd (apt-get install nsd)"), .serialized)
struct DNSIntegrationTests {
    /// Both servers up for `body`, stopped afterwards whatever happens.
    static func withServers<T>(_ body: (PrivateNSD, PrivateNSD) async throws -> T) async throws -> T {
        // NSD serves UDP too, which a reservation cannot share: the port is released just
        // before NSD binds it, and another one is tried if something took it meanwhile.
        let (parent, child) = try await ReservedPort.startReleased(
            addressInUse: { "\($0)".contains("already in use") }
        ) { (port: Int) -> (PrivateNSD, PrivateNSD) in
            let parent = try await PrivateNSD.start(address: "127.0.0.1", port: port,
                                                    zones: [("test", TestZones.parent), ("100.51.198.in-addr.arpa", TestZones.reverse)])
            do {
                let child = try await PrivateNSD.start(address: "127.0.0.2", port: port, zones: [("example.test", TestZones.example), ("kept.test", TestZones.kept), ("hosted.test", TestZones.hosted)])
                return (parent, child)
            } catch {
                parent.stop()
                throw error
            }
        }
        defer {
            child.stop()
            parent.stop()
        }
        return try await body(parent, child)
    }

    static func plan(port: Int, domains: [String] = ["example.test"], margin: String = "4d") -> PlanConfig {
        PlanConfig(domains: domains, oldAddresses: [TestZones.oldV4, TestZones.oldV6], newAddresses: [TestZones.new],
                   margin: margin, switchAt: "2026-12-20T18:00:00Z",
                   dns: PlanDNSConfig(roots: ["127.0.0.1:\(port)"], port: port, resolvers: ["127.0.0.2:\(port)"], timeout: "2s", attempts: 3))
    }

    @Test("the plan follows the delegation, reads the zone's own TTLs and finds every trap")
    func fullPlan() async throws {
        try await Self.withServers { parent, _ in
            let report = await PlanRunner.run(Self.plan(port: parent.port), now: Date(timeIntervalSince1970: 1_796_000_000))
            let text = report.findings.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
            func has(_ severity: PlanFinding.Severity, _ subject: String, _ fragment: String) -> Bool {
                report.findings.contains { $0.severity == severity && $0.subject == subject && $0.message.contains(fragment) }
            }
            // TTLs from the authoritative server: the full 172800 s, not a cache's remainder.
            let mailA = try #require(report.records.first { $0.name == "mail.example.test" && $0.type == "A" && $0.role == "mx-host" }, "\(text)")
            #expect(mailA.ttl == 172_800 && mailA.pointsToOld)
            #expect(report.records.contains { $0.type == "MX" && $0.ttl == 86_400 && $0.value == "20 backup.example.test." })
            #expect(has(.ok, "mail.example.test", "is the old server"), "\(text)")
            #expect(has(.warning, "mail.example.test", "long TTL (172800 s)"), "\(text)")
            #expect(has(.warning, "backup.example.test", "neither the old nor the new server"), "\(text)")
            #expect(has(.blocker, "mail.example.test", "AAAA record but the new server has no IPv6"), "\(text)")
            #expect(has(.blocker, "example.test", "SPF does not allow the new server's address 198.51.100.20"), "\(text)")
            #expect(has(.warning, "_25._tcp.mail.example.test", "DANE"), "\(text)")
            #expect(has(.warning, "example.test", "SPF does not list the old server's address 2001:db8::10"), "\(text)")
            #expect(has(.warning, "example.test", "MTA-STS"), "\(text)")
            #expect(has(.warning, "imap.example.test", "leads to the old server"), "\(text)")
            #expect(has(.ok, "autoconfig.example.test", "does not lead to the old server"), "\(text)")
            #expect(has(.ok, "20.100.51.198.in-addr.arpa", "mx2.example.test, which leads back"), "\(text)")
            #expect(has(.ok, "example.test", "resolver 127.0.0.2:\(parent.port) agrees"), "\(text)")
            #expect(report.worst == .blocker)
            // The schedule: 172800 s + 4 d margin beats the 5-day floor.
            let schedule = try #require(report.schedule)
            #expect(schedule.longestTTL == 172_800)
            #expect(schedule.longestTTLRecord == "mail.example.test A")
            #expect(schedule.decommissionAfterSeconds == 172_800 + 4 * 86_400)
            #expect(schedule.decommissionDate == PlanConfig.parseDate("2026-12-26T18:00:00Z"))
            // The report survives JSON, as `mailferry cutover` reads it.
            #expect(try PlanReport.decode(json: Data(report.json().utf8)) == report)
        }
    }

    @Test("an MX name inside the domain stays, so its A TTL is the schedule's, not the MX's; the drain reads the same")
    func keptMXName() async throws {
        try await Self.withServers { parent, _ in
            let report = await PlanRunner.run(Self.plan(port: parent.port, domains: ["kept.test"]), now: Date(timeIntervalSince1970: 1_796_000_000))
            let text = report.findings.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
            #expect(report.records.contains { $0.type == "MX" && $0.ttl == 86_400 && !$0.pointsToOld }, "\(report.records)")
            let schedule = try #require(report.schedule)
            #expect(schedule.longestTTL == 3600, "\(text)")
            #expect(schedule.longestTTLRecord == "mx.kept.test A")
            let path = NSTemporaryDirectory() + "mailferry-plan-\(UUID().uuidString.prefix(8)).json"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try report.json().write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try PlanSchedule.read(report: path).longestTTL == 3600)
        }
    }

    @Test("an MX name outside the migrated domains must change, so the MX TTL counts")
    func foreignMXName() async throws {
        try await Self.withServers { parent, _ in
            let report = await PlanRunner.run(Self.plan(port: parent.port, domains: ["hosted.test"]), now: Date(timeIntervalSince1970: 1_796_000_000))
            let text = report.findings.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
            #expect(report.findings.contains { $0.severity == .warning && $0.subject == "mx.provider.test" && $0.message.contains("the MX record itself must change") }, "\(text)")
            let schedule = try #require(report.schedule)
            #expect(schedule.longestTTL == 86_400, "\(text)")
            #expect(schedule.longestTTLRecord == "hosted.test MX")
        }
    }

    @Test("findings that ask for new records say how far ahead: the lesser of the SOA's TTL and minimum (RFC 2308)")
    func negativeCachingAhead() async throws {
        try await Self.withServers { parent, _ in
            let report = await PlanRunner.run(Self.plan(port: parent.port, domains: ["example.test", "kept.test"]), now: Date(timeIntervalSince1970: 1_796_000_000))
            let text = report.findings.map { "\($0.severity) \($0.subject): \($0.message) → \($0.action ?? "")" }.joined(separator: "\n")
            func action(_ subject: String, _ fragment: String) -> String? {
                report.findings.first { $0.subject == subject && $0.message.contains(fragment) }?.action
            }
            // example.test: SOA TTL 3600, minimum 300; kept.test: SOA TTL 600, minimum 900.
            #expect(action("_25._tcp.mail.example.test", "DANE")?.contains("at least 300 s ahead of the switch") == true, "\(text)")
            #expect(action("example.test", "MTA-STS")?.contains("at least 300 s ahead of the switch") == true, "\(text)")
            #expect(action("kept.test", "no client names")?.contains("at least 600 s ahead of the switch") == true, "\(text)")
        }
    }

    @Test("an answer too big for UDP is fetched again over TCP")
    func truncatedOverTCP() async throws {
        try await Self.withServers { _, child in
            let client = DNSClient(timeout: .seconds(5), attempts: 2)
            let name = try DNSName("big.example.test")
            let answer = try await client.exchange(.query(id: 0, name: name, type: .txt, recursionDesired: false, udpPayloadSize: 512), with: child.server)
            #expect(!answer.isTruncated)
            #expect(answer.answers(for: name, type: .txt).first?.data.text?.count == 1250)
        }
    }

    @Test("a name that does not exist is an empty answer with the zone's negative TTL")
    func negativeAnswer() async throws {
        try await Self.withServers { parent, _ in
            let lookup = AuthoritativeLookup(transport: DNSClient(timeout: .seconds(2), attempts: 3),
                                             roots: [parent.server], port: parent.port)
            let answer = try await lookup.query(try DNSName("nothing.example.test"), .a)
            #expect(answer.records.isEmpty)
            #expect(answer.responseCode == .nameError)
            #expect(answer.negativeTTL == 300)
            #expect(answer.server.address.description == "127.0.0.2")
        }
    }
}
