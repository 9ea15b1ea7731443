import DNSCodec
import Foundation
import MailTestSupport
import Testing

@testable import Plan

/// `mailferry dns watch` against NSD: the zone of `DNSIntegrationTests`, then the same zone after
/// the switch (the MX host's name kept, its address changed), served by a restarted server.
extension DNSIntegrationTests {
    static let switchedZone = TestZones.example
        .replacingOccurrences(of: "mail 172800 A \(TestZones.oldV4)", with: "mail 300 A \(TestZones.new)")
        .replacingOccurrences(of: "mail AAAA \(TestZones.oldV6)\n", with: "")

    /// The zone with a second name server on 127.0.0.3, a secondary.
    static let twoServerZone = TestZones.example.replacingOccurrences(of: "ns1 A 127.0.0.2\n", with: "ns1 A 127.0.0.2\n@ NS ns2\nns2 A 127.0.0.3\n")
    /// The switch done by a new MX name: `mx2` (the new address) replaces `mail`, which keeps its old address.
    static let movedMXZone = twoServerZone.replacingOccurrences(of: "@ 86400 MX 10 mail", with: "@ 300 MX 10 mx2")

    static func watch(port: Int, root: DNSServer) throws -> DNSWatch {
        let settings = DNSPlanSettings(domains: [try DNSName("example.test")],
                                       oldAddresses: [IPAddress(TestZones.oldV4)!, IPAddress(TestZones.oldV6)!], newAddresses: [IPAddress(TestZones.new)!],
                                       resolvers: [DNSServer(address: IPAddress("127.0.0.2")!, port: port)])
        return DNSWatch(lookup: AuthoritativeLookup(transport: DNSClient(timeout: .seconds(2), attempts: 3), roots: [root], port: port),
                        settings: settings)
    }

    @Test("watching DNS: old answers from the zone and the resolver until the zone changes, then every answer leads to the new server")
    func watchUntilTheSwitchIsServed() async throws {
        // NSD serves UDP, which a reservation cannot share: released just before NSD binds it.
        let parent = try await ReservedPort.startReleased(addressInUse: { "\($0)".contains("already in use") }) { (port: Int) in
            try await PrivateNSD.start(address: "127.0.0.1", port: port, zones: [("test", TestZones.parent)])
        }
        defer { parent.stop() }
        let port = parent.port
        let watch = try Self.watch(port: port, root: parent.server)

        let before = try await PrivateNSD.start(address: "127.0.0.2", port: port, zones: [("example.test", TestZones.example)])
        var reported: [DNSWatch.Outcome] = []
        let seen = Date(timeIntervalSince1970: 1_796_000_000)
        let first = try await watch.watch(clock: ContinuousClock(), interval: .seconds(3600), for: .zero, now: { seen }) { reported.append($0) }
        before.stop()
        #expect(!first.last.done && reported == [first] && first.rounds == 1)
        // mail.example.test from its one authoritative server and from the resolver, both old;
        // backup.example.test is neither old nor new, so it does not hold the watch up.
        let old = first.last.waiting
        #expect(old.map(\.host) == ["mail.example.test", "mail.example.test"], "\(first.last.summary)")
        #expect(old.map(\.server) == ["authoritative 127.0.0.2:\(port)", "resolver 127.0.0.2:\(port)"])
        #expect(old.allSatisfy { $0.leadsToOld && $0.ttl == 172_800 })
        #expect(first.oldTTL == 172_800 && first.lastOldSeen == seen)
        #expect(first.oldCachedUntil == seen.addingTimeInterval(172_800))
        #expect(first.last.summary.contains("still answers mail.example.test 192.0.2.10 2001:db8::10 (TTL 172800 s)"), "\(first.last.summary)")
        #expect(first.summary.contains("until 2026-12-02T00:53:20Z (TTL 172800 s)"), "\(first.summary)")

        let after = try await PrivateNSD.start(address: "127.0.0.2", port: port, zones: [("example.test", Self.switchedZone)])
        defer { after.stop() }
        let second = await watch.observe()
        #expect(second.done, "\(second.summary)")
        #expect(second.views.count == 4 && second.summary == "all 4 answers lead to the new server")
        #expect(Set(second.hosts) == ["mail.example.test", "backup.example.test"])
    }

    @Test("a new MX name: a secondary still serving the old MX holds the watch until it has the new zone; --for ends it")
    func secondaryWithTheOldMX() async throws {
        let parent = try await ReservedPort.startReleased(addressInUse: { "\($0)".contains("already in use") }) { (port: Int) in
            try await PrivateNSD.start(address: "127.0.0.1", port: port, zones: [("test", TestZones.parent)])
        }
        defer { parent.stop() }
        let port = parent.port
        let watch = try Self.watch(port: port, root: parent.server)
        let primary = try await PrivateNSD.start(address: "127.0.0.2", port: port, zones: [("example.test", Self.movedMXZone)])
        defer { primary.stop() }
        let secondary = try await PrivateNSD.start(address: "127.0.0.3", port: port, zones: [("example.test", Self.twoServerZone)])

        // Rounds 10 ms apart for 30 ms on a clock whose sleeps pass at once: at 0, 10, 20 and
        // 30 ms, then the next would start after the limit and the watch gives up, not done.
        let stale = try await watch.watch(clock: TestClock(advance: .onSleep), interval: .milliseconds(10), for: .milliseconds(30)) { _ in }
        secondary.stop()
        #expect(!stale.last.done && stale.rounds == 4, "\(stale.summary)")
        // The secondary names `mail`, whose address is still the old one on both servers.
        #expect(stale.last.hosts.contains("mail.example.test") && stale.last.hosts.contains("mx2.example.test"), "\(stale.last.hosts)")
        let old = Set(stale.last.waiting.filter(\.leadsToOld).map { "\($0.server) \($0.host)" })
        #expect(old.contains("authoritative 127.0.0.3:\(port) mail.example.test"), "\(stale.last.summary)")
        #expect(stale.last.views.contains { $0.host == "mx2.example.test" && $0.addresses == [IPAddress(TestZones.new)!] && !$0.leadsToOld })

        let transferred = try await PrivateNSD.start(address: "127.0.0.3", port: port, zones: [("example.test", Self.movedMXZone)])
        defer { transferred.stop() }
        let done = try await watch.watch(clock: ContinuousClock(), interval: .seconds(3600), for: .seconds(3600)) { _ in }
        #expect(done.last.done && done.rounds == 1, "\(done.summary)")
        #expect(Set(done.last.hosts) == ["mx2.example.test", "backup.example.test"])
        // Two authoritative servers and the resolver, for each of the two hosts.
        #expect(done.last.views.count == 6)
        #expect(done.oldTTL == 0 && done.oldCachedUntil == nil)
    }
}
