import CorpusGenerator
import Foundation
import MailTestSupport
import Testing

/// Two accounts in one config file; the destination account of one is over quota: that
/// account is partial with Dovecot's own words per message, the other complete, and the exit
/// code says partial. Raising the quota and running again completes it without duplicates.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct QuotaIntegrationTests {
    @Test func oneAccountOverQuotaIsPartialTheOtherComplete() async throws {
        let testbed = try Testbed.require()
        let full = try await testbed.makeAccount(prefix: "quota", quota: .kibibytes(150))
        let fine = try await testbed.makeAccount(prefix: "noquota")
        for user in [full, fine] {
            let profile = CorpusProfile(messages: 40, largeMessages: 0, folders: 6)
            _ = try CorpusWriter(profile: profile, seed: 21, user: user.name)
                .write(into: user.oldMaildir, owner: try CorpusOwner.lookup(user.name), replace: true)
        }
        let state = temporaryStateDirectory("quota")
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let master = try #require(testbed.new.masterUser)
        let secrets = (full.passwordFile as NSString).deletingLastPathComponent
        let config = """
            [source]
            url = "imap://\(testbed.old.imap.host):\(testbed.old.imap.port)"
            password_file = "\(secrets)/{user}.password"
            ca_file = "\(testbed.caFile)"
            [destination]
            url = "imap://\(testbed.new.imap.host):\(testbed.new.imap.port)"
            master_user = "\(master.name)"
            master_password_file = "\(master.passwordFile)"
            ca_file = "\(testbed.caFile)"
            [sync]
            state = "\(state)"
            jobs = 2
            [[accounts]]
            user = "\(full.name)"
            [[accounts]]
            user = "\(fine.name)"
            """
        try config.write(toFile: state + "/mailferry.toml", atomically: true, encoding: .utf8)
        let arguments = ["sync", "--quiet", "--json", "--config", state + "/mailferry.toml"]
        let (status, output) = try await MailferryProcess.run(arguments, logDirectory: state + "/logs")
        #expect(status == 1, "\(output)")
        let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        let accounts = summary?["accounts"] as? [[String: Any]] ?? []
        let byName = Dictionary(uniqueKeysWithValues: accounts.map { ($0["account"] as? String ?? "", $0) })
        let fullFolders = byName[full.name]?["folders"] as? [[String: Any]] ?? []
        let failures = fullFolders.flatMap { $0["failures"] as? [[String: Any]] ?? [] }
        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { ($0["reason"] as? String)?.contains("OVERQUOTA") == true })
        let fineFolders = byName[fine.name]?["folders"] as? [[String: Any]] ?? []
        #expect(fineFolders.allSatisfy { ($0["failures"] as? [Any])?.isEmpty ?? true })

        // The human summary names the account as partial and the reason per message.
        let (_, text) = try await MailferryProcess.run(["sync", "--config", state + "/mailferry.toml"], logDirectory: state + "/logs")
        #expect(text.contains("partial"))
        #expect(text.contains("OVERQUOTA"))
    }
}
