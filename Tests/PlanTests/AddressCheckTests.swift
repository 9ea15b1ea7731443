import Foundation
import MailTestSupport
import Plan
import Testing

/// The addresses part of the plan: a copy of the testbed's old Postfix configuration with
/// aliases of the test's own, checked against the testbed's new Postfix over SMTP.
@Suite("plan addresses against the testbed", .tags(.integration), .requiresTestbed)
struct AddressCheckTests {
    @Test("the addresses the old Postfix accepts and the new one refuses are blockers, as are pipe aliases")
    func oldAgainstNew() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "planaddr")
        let domain = testbed.new.domain
        let directory = NSTemporaryDirectory() + "mailferry-plan-postfix-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for file in ["main.cf", "master.cf"] {
            try FileManager.default.copyItem(atPath: "\(testbed.old.postfixConfigDir)/\(file)", toPath: "\(directory)/\(file)")
        }
        try "planalias: \(user.name)\nplanpipe: \"|/usr/bin/true\"\n".write(toFile: "\(directory)/aliases", atomically: true, encoding: .utf8)
        try "\(user.newAddress) \(user.name)\nnosuchplan@\(domain) \(user.name)\n@\(domain) \(user.name)\n"
            .write(toFile: "\(directory)/virtual", atomically: true, encoding: .utf8)
        try await Process.check("/usr/sbin/postconf", ["-c", directory, "-e", "alias_maps=hash:\(directory)/aliases",
                                            "virtual_alias_maps=hash:\(directory)/virtual", "mydestination=\(domain)"])
        try await Process.check("/usr/sbin/postalias", ["-c", directory, "hash:\(directory)/aliases"])
        try await Process.check("/usr/sbin/postmap", ["-c", directory, "hash:\(directory)/virtual"])

        let check = AddressCheck(old: OldPostfixAddresses(configDirectory: directory),
                                 probe: RecipientProbe(host: testbed.new.smtp.host, port: testbed.new.smtp.port), domains: [domain])
        let findings = await check.run()
        let text = findings.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
        let blockers = Set(findings.filter { $0.severity == .blocker }.map(\.subject))
        #expect(blockers == ["planalias@\(domain)", "planpipe@\(domain)", "nosuchplan@\(domain)"], "\(text)")
        #expect(findings.contains { $0.subject == "planpipe@\(domain)" && $0.message.contains("only the old host can run") }, "\(text)")
        #expect(findings.contains { $0.severity == .warning && $0.subject == "@\(domain)" && $0.message.contains("catch-all") }, "\(text)")
        #expect(findings.contains { $0.severity == .ok && $0.message.contains("3 addresses") && $0.message.contains("1 accepted, 2 refused") }, "\(text)")
    }
}
