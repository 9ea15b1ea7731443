import Cutover
import DNSCodec
import Foundation
import Testing

@testable import Plan

@Suite struct DKIMCheckTests {
    @Test("opendkim.conf settings, KeyTable selectors, key records and signing milters")
    func parsing() {
        let settings = DKIMCheck.settings("# comment\nSyslog yes\nselector\tmail # the 2024 key\nKeyTable refile:/etc/opendkim/key.table\n")
        #expect(settings["selector"] == "mail" && settings["keytable"] == "refile:/etc/opendkim/key.table")
        #expect(DKIMCheck.keyTableSelectors("mail._domainkey.a.test a.test:mail:/k/a.private\n# x y:z:w\nb b.test::/k\nold._domainkey.a.test a.test:old2019:/k/o\n")
            == ["mail", "old2019"])
        #expect(DKIMCheck.isKey("v=DKIM1; k=rsa; p=MIGf") && DKIMCheck.isKey("k=rsa; p=MIGf"))
        #expect(!DKIMCheck.isKey("v=spf1 -all"))
        #expect(DKIMCheck.signingMilter("inet:localhost:8891, unix:/run/clamav/milter.sock") == "inet:localhost:8891")
        #expect(DKIMCheck.signingMilter("unix:/var/spool/postfix/opendkim/opendkim.sock") != nil)
        #expect(DKIMCheck.signingMilter("inet:127.0.0.1:11332") == "inet:127.0.0.1:11332")
        #expect(DKIMCheck.signingMilter("unix:/run/clamav/milter.sock") == nil)
    }
}

/// DKIM against the NSD zone of `DNSIntegrationTests` (a key at mail._domainkey), with the old
/// host's OpenDKIM configuration and the new Postfix's milters in temporary directories.
extension DNSIntegrationTests {
    @Test("DKIM: the old host's selectors or the common ones, their keys from the zone, and whether the new Postfix signs")
    func dkim() async throws {
        let directory = NSTemporaryDirectory() + "mailferry-plan-dkim-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/unsigned", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/signing", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "compatibility_level = 3.6\n".write(toFile: directory + "/unsigned/main.cf", atomically: true, encoding: .utf8)
        try "non_smtpd_milters = inet:127.0.0.1:8891\n".write(toFile: directory + "/signing/main.cf", atomically: true, encoding: .utf8)
        try "Selector mail\n".write(toFile: directory + "/opendkim.conf", atomically: true, encoding: .utf8)
        try "Selector mail\nKeyTable \(directory)/key.table\n".write(toFile: directory + "/opendkim-old.conf", atomically: true, encoding: .utf8)
        try "old._domainkey.example.test example.test:old2019:/k\n".write(toFile: directory + "/key.table", atomically: true, encoding: .utf8)
        try await Self.withServers { parent, _ in
            let lookup = AuthoritativeLookup(transport: DNSClient(timeout: .seconds(2), attempts: 3), roots: [parent.server], port: parent.port)
            let domain = try DNSName("example.test")
            func run(old: String?, newPostfix: String) async -> DKIMCheck.Result {
                var check = DKIMCheck(lookup: lookup, domains: [domain], old: old.map { _ in LocalHost() },
                                      newPostfix: PostfixHost(host: LocalHost(), configDirectory: directory + "/" + newPostfix))
                if let old { check.oldConfig = directory + "/" + old }
                return await check.run()
            }
            let unsigned = await run(old: "opendkim.conf", newPostfix: "unsigned")
            #expect(unsigned.findings.map(\.severity) == [.warning], "\(unsigned.findings)")
            #expect(unsigned.findings.first?.message.contains("mail._domainkey.example.test") == true && unsigned.findings.first?.message.contains("unsigned") == true)
            #expect(unsigned.records.map(\.ttl) == [14_400] && unsigned.records.first?.role == "dkim")
            let signing = await run(old: nil, newPostfix: "signing")
            #expect(signing.findings.map(\.severity) == [.ok] && signing.findings.first?.message.contains("inet:127.0.0.1:8891") == true, "\(signing.findings)")
            let stale = await run(old: "opendkim-old.conf", newPostfix: "signing")
            #expect(stale.findings.map(\.severity) == [.warning] && stale.findings.first?.message.contains("selector old2019") == true, "\(stale.findings)")
        }
    }
}
