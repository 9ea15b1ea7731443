import CorpusGenerator
import Foundation
import IMAPClient
import Logging
import MailModel
import MailTestSupport
import SyncBackends
import SyncEngine

/// The testbed's two servers as sync stores for one account: Courier as the shell user
/// (STARTTLS, verified against the testbed CA), Dovecot through the master user.
struct TestbedStores {
    let testbed: Testbed
    let user: TestbedUser

    static func make(prefix: String, messages: Int, large: Int = 0, folders: Int = 14, seed: UInt64 = 5) async throws -> (TestbedStores, CorpusManifest) {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: prefix)
        let profile = CorpusProfile(messages: messages, largeMessages: large, folders: folders, largeMaxBytes: 3 * 1_048_576)
        let manifest = try CorpusWriter(profile: profile, seed: seed, user: user.name)
            .write(into: user.oldMaildir, owner: try CorpusOwner.lookup(user.name), replace: true)
        return (TestbedStores(testbed: testbed, user: user), manifest)
    }

    var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    var source: IMAPStore {
        IMAPStore(
            endpoint: IMAPEndpoint(host: testbed.old.imap.host, port: testbed.old.imap.port, security: .startTLS, tls: IMAPTLSOptions(caFile: testbed.caFile)),
            login: IMAPLogin(user: user.name, password: Secret((try? user.password()) ?? "")), logger: logger)
    }

    var destination: IMAPStore {
        let master = testbed.new.masterUser!
        return IMAPStore(
            endpoint: IMAPEndpoint(host: testbed.new.imap.host, port: testbed.new.imap.port, security: .startTLS, tls: IMAPTLSOptions(caFile: testbed.caFile)),
            login: IMAPLogin(user: user.name, password: Secret((try? master.password()) ?? ""), masterUser: master.name), logger: logger)
    }

    /// The arguments of `mailferry sync`/`verify` for this account.
    func commandLine(state: String) throws -> [String] {
        let master = testbed.new.masterUser!
        return [
            "--from", "imap://\(user.name)@\(testbed.old.imap.host):\(testbed.old.imap.port)",
            "--to", "imap://\(user.name)@\(testbed.new.imap.host):\(testbed.new.imap.port)",
            "--from-password-file", user.passwordFile, "--to-master-user", master.name,
            "--to-master-password-file", master.passwordFile, "--ca-file", testbed.caFile, "--state", state,
        ]
    }
}

/// A fresh state directory per test.
func temporaryStateDirectory(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
}
