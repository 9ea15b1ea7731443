import Cutover
import DNSCodec
import Foundation
import MailTestSupport
import Testing

@testable import Plan

@Suite struct PTRNameCheckTests {
    static let address = IPAddress("198.51.100.20")!

    @Test("a PTR name that is myhostname (any case, a trailing dot) is ok; another name a warning with both fixes")
    func compare() throws {
        let ok = PTRNameCheck.compare(side: "new", address: Self.address, ptr: [try DNSName("mx2.example.test")], myhostname: "MX2.Example.test.")
        #expect(ok.severity == .ok && ok.subject == "new PTR 198.51.100.20", "\(ok)")
        let other = PTRNameCheck.compare(side: "new", address: Self.address, ptr: [try DNSName("host-20.provider.test")], myhostname: "mail.example.test")
        #expect(other.severity == .warning, "\(other)")
        #expect(other.message.contains("is host-20.provider.test, but the new Postfix's myhostname is mail.example.test"), "\(other.message)")
        let action = try #require(other.action)
        #expect(action.contains("Set myhostname = host-20.provider.test") && action.contains("set its PTR to mail.example.test"), "\(action)")
    }
}

/// The PTR read from NSD on loopback against a Postfix configuration read with postconf.
@Suite("plan PTR against myhostname with NSD and postconf", .tags(.integration), .serialized,
       .enabled(if: (PrivateNSD.canRun && FileManager.default.isExecutableFile(atPath: "/usr/sbin/postconf"))
           || ProcessInfo.processInfo.environment["MAILFERRY_REQUIRE_TESTBED"] == "1", "needs Debian's nsd and postfix"))
struct PTRNameCheckIntegrationTests {
    /// A Postfix configuration directory with only `myhostname` set, removed by the caller.
    static func postfix(myhostname: String) throws -> String {
        let directory = NSTemporaryDirectory() + "mailferry-plan-ptr-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try "myhostname = \(myhostname)\n".write(toFile: directory + "/main.cf", atomically: true, encoding: .utf8)
        return directory
    }

    @Test("the new address's PTR (mx2.example.test) against the new Postfix's myhostname: a match ok, a mismatch a warning")
    func newSide() async throws {
        try await DNSIntegrationTests.withServers { parent, _ in
            let lookup = AuthoritativeLookup(transport: DNSClient(timeout: .seconds(2), attempts: 3), roots: [parent.server], port: parent.port)
            let matching = try Self.postfix(myhostname: "mx2.example.test")
            let other = try Self.postfix(myhostname: "newmail.example.test")
            defer { for directory in [matching, other] { try? FileManager.default.removeItem(atPath: directory) } }
            func run(_ directory: String) async -> [PlanFinding] {
                await PTRNameCheck(lookup: lookup, sides: [
                    .init(label: "new", postfix: PostfixHost(host: LocalHost(), configDirectory: directory), addresses: [PTRNameCheckTests.address]),
                ]).run()
            }
            let good = await run(matching)
            #expect(good.map(\.severity) == [.ok], "\(good)")
            let bad = await run(other)
            #expect(bad.map(\.severity) == [.warning], "\(bad)")
            #expect(bad.first?.message.contains("is mx2.example.test, but the new Postfix's myhostname is newmail.example.test") == true, "\(bad)")
        }
    }
}
