import DNSCodec
import Foundation
import MailferryConfig
import Migration
import Plan
import Testing

@testable import Plan

@Suite struct PlanScheduleTests {
    @Test("the decommission delay is the longest TTL plus the margin, never under 5 days")
    func floorAndMargin() {
        let switchAt = Date(timeIntervalSince1970: 1_800_000_000)
        let short = PlanSchedule(longestTTL: 3600, longestTTLRecord: "mail.example.com A", marginSeconds: 86_400, switchAt: switchAt)
        #expect(short.decommissionAfterSeconds == 5 * 86_400)
        #expect(short.decommissionDate == switchAt.addingTimeInterval(5 * 86_400))
        let long = PlanSchedule(longestTTL: 604_800, longestTTLRecord: nil, marginSeconds: 86_400, switchAt: nil)
        #expect(long.decommissionAfterSeconds == 8 * 86_400)
        #expect(long.decommissionDate == nil)
    }

    @Test("the decommission finding says that moving the old address to the new host makes the DNS wait vanish")
    func movingTheOldAddress() throws {
        let schedule = PlanSchedule(longestTTL: 3600, longestTTLRecord: "mail.example.com A", marginSeconds: 86_400, switchAt: nil)
        let finding = DNSCheck.decommissionFinding(schedule, oldAddresses: [try #require(IPAddress("192.0.2.10"))])
        #expect(finding.severity == .ok && finding.subject == "decommission")
        let action = try #require(finding.action)
        #expect(action.contains("If 192.0.2.10 can move to the new host"), "\(action)")
        #expect(action.contains("the DNS wait vanishes"), "\(action)")
    }

    @Test("SPF: which addresses a record lets send")
    func spf() throws {
        let policy = try #require(SPFPolicy("v=spf1 ip4:192.0.2.0/24 -ip4:198.51.100.7 ip6:2001:db8::/32 include:_spf.example.net ~all"))
        #expect(policy.lists(.init("192.0.2.77")!))
        #expect(!policy.lists(.init("198.51.100.7")!))
        #expect(policy.lists(.init("2001:db8:1::5")!))
        #expect(!policy.lists(.init("2001:db9::5")!))
        #expect(policy.includes == ["_spf.example.net"])
        #expect(policy.all == "~")
        #expect(SPFPolicy("v=spf10 -all") == nil)
        #expect(SPFPolicy("v=spf1 mx a:mail.example.com -all")?.usesMX == true)
    }
}
