import Cutover
import DNSCodec
import Foundation
import Logging
import MailTestSupport
import Migration
import Testing

@testable import Plan

/// The cutover's drain asks DNS through `dns watch`'s code, wired from the config as the CLI
/// wires it, against NSD: the zone before the switch holds the drain and its old answer is
/// journaled; after the switch the drain ends once that answer's TTL + margin has passed.
extension DNSIntegrationTests {
    @Test("the drain watches DNS through NSD: an old answer holds it and is journaled, then its TTL + margin decides")
    func theCutoverDrainWatchesTheZone() async throws {
        let parent = try await ReservedPort.startReleased(addressInUse: { "\($0)".contains("already in use") }) { (port: Int) in
            try await PrivateNSD.start(address: "127.0.0.1", port: port, zones: [("test", TestZones.parent)])
        }
        defer { parent.stop() }
        let port = parent.port
        let directory = NSTemporaryDirectory() + "mailferry-drain-dns-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
            [source]
            url = "maildir:{home}/Maildir"
            [destination]
            url = "imap://new"
            [sync]
            state = "\(directory)/state"
            [[accounts]]
            user = "alice"
            [cutover]
            domains = ["example.test"]
            [cutover.old]
            host = "local"
            [cutover.new]
            relay_host = "192.0.2.20"
            deliver_locally_command = ["/bin/true"]
            relay_to_old_command = ["/bin/true"]
            close_logins_command = ["/bin/true"]
            open_logins_command = ["/bin/true"]
            [cutover.drain]
            ttl = "1h"
            margin = "1h"
            [plan]
            domains = ["example.test"]
            old_addresses = ["\(TestZones.oldV4)", "\(TestZones.oldV6)"]
            new_addresses = ["\(TestZones.new)"]
            [plan.dns]
            roots = ["127.0.0.1:\(port)"]
            port = \(port)
            resolvers = ["127.0.0.2:\(port)"]
            timeout = "2s"
            attempts = 3

            """.write(toFile: "\(directory)/cutover.toml", atomically: true, encoding: .utf8)
        var session = try CutoverSession.open(configPath: "\(directory)/cutover.toml")
        session.dnsWatch = DNSWatch.drain(for: session)
        let questions = try #require(session.dnsWatch).questions
        #expect(questions.first?.contains("example.test (their NS records, followed from 127.0.0.1:\(port); port \(port))") == true, "\(questions)")
        let old = OldPostfixAddressesTests.ScriptedHost(answers: ["-j": ""])
        let hosts = CutoverHosts(old: old, new: old, oldPostfix: "/etc/postfix", newPostfix: "/etc/postfix", domains: CutoverDomains(["example.test"]))
        var effects = session.effects(hosts: hosts, logger: Logger(label: "test"), prover: nil)
        // The switch's own TTL + margin (2 h) has passed at every check below.
        let seen = 1_796_000_000.0
        try await session.journal.append(step: .relayOldToNew, event: .finished(CutoverResult()), at: seen - 7200)

        let before = try await PrivateNSD.start(address: "127.0.0.2", port: port, zones: [("example.test", TestZones.example)])
        effects.now = { seen }
        let held = try await effects.perform(.drainCheck, token: nil)
        before.stop()
        guard case .notYet(let waiting, _) = held else { Issue.record("\(held)"); return }
        #expect(waiting.contains("still answers mail.example.test 192.0.2.10 2001:db8::10 (TTL 172800 s)"), "\(waiting)")
        let journaled = try await session.journal.records().compactMap { record -> (OldDNSAnswer, Double)? in
            guard case .oldDNSAnswer(let answer) = record.event else { return nil }
            return (answer, record.at)
        }
        #expect(journaled.map(\.0.host) == ["mail.example.test"] && journaled.map(\.0.ttl) == [172_800] && journaled.map(\.1) == [seen])

        let after = try await PrivateNSD.start(address: "127.0.0.2", port: port, zones: [("example.test", Self.switchedZone)])
        defer { after.stop() }
        effects.now = { seen + 172_800 + 3599 }
        let cached = try await effects.perform(.drainCheck, token: nil)
        guard case .notYet(let cachedDetail, _) = cached else { Issue.record("\(cached)"); return }
        #expect(cachedDetail.hasSuffix("+ margin ends in 1 s"), "\(cachedDetail)")
        effects.now = { seen + 172_800 + 3600 }
        let done = try await effects.perform(.drainCheck, token: nil)
        guard case .done(let result) = done else { Issue.record("\(done)"); return }
        #expect(result.detail.contains("DNS: all 4 answers lead to the new server; last old answer: authoritative 127.0.0.2:\(port) answered "
            + "mail.example.test 192.0.2.10 2001:db8::10 (TTL 172800 s)"), "\(result.detail)")
    }
}
