import DNSCodec
import Foundation
import MailTestSupport
import Testing

@testable import Plan

/// `plan --watch-dns` against NSD: the zone of `DNSIntegrationTests`, then the same zone after
/// the switch (the MX host's name kept, its address changed), served by a restarted server.
extension DNSIntegrationTests {
    static let switchedZone = TestZones.example
        .replacingOccurrences(of: "mail 172800 A \(TestZones.oldV4)", with: "mail 300 A \(TestZones.new)")
        .replacingOccurrences(of: "mail AAAA \(TestZones.oldV6)\n", with: "")

    @Test("watching DNS: old answers from the zone and the resolver until the zone changes, then every answer leads to the new server")
    func watchUntilTheSwitchIsServed() async throws {
        // NSD serves UDP, which a reservation cannot share: released just before NSD binds it.
        let parent = try await ReservedPort.startReleased(addressInUse: { "\($0)".contains("already in use") }) { (port: Int) in
            try await PrivateNSD.start(address: "127.0.0.1", port: port, zones: [("test", TestZones.parent)])
        }
        defer { parent.stop() }
        let port = parent.port
        let settings = DNSPlanSettings(domains: [try DNSName("example.test")],
                                       oldAddresses: [IPAddress(TestZones.oldV4)!, IPAddress(TestZones.oldV6)!], newAddresses: [IPAddress(TestZones.new)!],
                                       resolvers: [DNSServer(address: IPAddress("127.0.0.2")!, port: port)])
        let watch = DNSWatch(lookup: AuthoritativeLookup(transport: DNSClient(timeout: .seconds(2), attempts: 3), roots: [parent.server], port: port),
                             settings: settings)

        let before = try await PrivateNSD.start(address: "127.0.0.2", port: port, zones: [("example.test", TestZones.example)])
        var reported: [DNSWatch.Round] = []
        let first = try await watch.watch(clock: ContinuousClock(), interval: .seconds(3600), rounds: 1) { reported.append($0) }
        before.stop()
        #expect(!first.last.done && reported == [first.last])
        // mail.example.test from its one authoritative server and from the resolver, both old;
        // backup.example.test is neither old nor new, so it does not hold the watch up.
        let old = first.last.waiting
        #expect(old.map(\.host) == ["mail.example.test", "mail.example.test"], "\(first.last.summary)")
        #expect(old.map(\.server) == ["authoritative 127.0.0.2:\(port)", "resolver 127.0.0.2:\(port)"])
        #expect(old.allSatisfy { $0.leadsToOld && $0.ttl == 172_800 })
        #expect(first.oldTTL == 172_800)
        #expect(first.last.summary.contains("still answers mail.example.test 192.0.2.10 2001:db8::10 (TTL 172800 s)"), "\(first.last.summary)")

        let after = try await PrivateNSD.start(address: "127.0.0.2", port: port, zones: [("example.test", Self.switchedZone)])
        defer { after.stop() }
        let second = await watch.observe()
        #expect(second.done, "\(second.summary)")
        #expect(second.views.count == 4 && second.summary == "all 4 answers lead to the new server")
    }
}
