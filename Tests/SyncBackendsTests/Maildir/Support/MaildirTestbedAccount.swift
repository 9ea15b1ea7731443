import CorpusGenerator
import Foundation
import IMAPClient
import Logging
import MailModel
import MailTestSupport
import SyncBackends
import SyncEngine
import Testing

/// A fresh testbed account whose Courier Maildir holds a generated corpus, with both servers
/// as IMAP stores (for verifying over IMAP) and the command lines of a Maildir migration.
struct MaildirTestbedAccount {
    let testbed: Testbed
    let user: TestbedUser
    let manifest: CorpusManifest

    init(prefix: String, messages: Int, large: Int = 1, seed: UInt64 = 11) async throws {
        testbed = try Testbed.require()
        user = try await testbed.makeAccount(prefix: prefix)
        let profile = CorpusProfile(messages: messages, largeMessages: large, folders: 14, largeMaxBytes: 2 * 1_048_576)
        manifest = try CorpusWriter(profile: profile, seed: seed, user: user.name)
            .write(into: user.oldMaildir, owner: try CorpusOwner.lookup(user.name), replace: true)
    }

    var messageCount: Int { manifest.folders.reduce(0) { $0 + $1.messages.count } }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    var courierIMAP: IMAPStore {
        IMAPStore(
            endpoint: IMAPEndpoint(host: testbed.old.imap.host, port: testbed.old.imap.port, security: .startTLS, tls: IMAPTLSOptions(caFile: testbed.caFile)),
            login: IMAPLogin(user: user.name, password: Secret((try? user.password()) ?? "")), logger: Self.logger)
    }

    var dovecotIMAP: IMAPStore {
        let master = testbed.new.masterUser!
        return IMAPStore(
            endpoint: IMAPEndpoint(host: testbed.new.imap.host, port: testbed.new.imap.port, security: .startTLS, tls: IMAPTLSOptions(caFile: testbed.caFile)),
            login: IMAPLogin(user: user.name, password: Secret((try? master.password()) ?? ""), masterUser: master.name), logger: Self.logger)
    }

    /// `mailferry sync` from the Courier Maildir (or from Courier over IMAP) into the Dovecot
    /// user's Maildir, owned by Dovecot's mail user.
    func syncArguments(state: String, overIMAP: Bool = false) -> [String] {
        let source = overIMAP
            ? ["--from", "imap://\(user.name)@\(testbed.old.imap.host):\(testbed.old.imap.port)", "--from-password-file", user.passwordFile,
               "--ca-file", testbed.caFile]
            : ["--from", "maildir:" + user.oldMaildir]
        return ["sync", "--quiet"] + source + ["--to", "maildir:" + user.newMaildir, "--owner", testbed.new.mailOwner ?? "tbvmail", "--state", state]
    }

    /// `mailferry verify --expect-same-uids` of Courier against Dovecot, both over IMAP (Dovecot
    /// through its master user), as an admin proves the migration.
    func verifyArguments() -> [String] {
        let master = testbed.new.masterUser
        return ["verify", "--quiet", "--deep", "--expect-same-uids", "--ca-file", testbed.caFile,
                "--from", "imap://\(user.name)@\(testbed.old.imap.host):\(testbed.old.imap.port)", "--from-password-file", user.passwordFile,
                "--to", "imap://\(user.name)@\(testbed.new.imap.host):\(testbed.new.imap.port)",
                "--to-master-user", master?.name ?? "", "--to-master-password-file", master?.passwordFile ?? ""]
    }

    /// Open every folder on Courier over IMAP (SELECT, as a mail client does), except
    /// `except`: Courier then writes its UID database for them.
    func openOnCourier(except: Set<String> = []) async throws {
        let session = try await IMAPTestSession(testbed.old.imap)
        try #require(try await session.login(user.name, try user.password()).isOK)
        let list = try await session.command("LIST \"\" \"*\"")
        for line in list.untagged where line.hasPrefix("* LIST") && !line.contains("\\Noselect") {
            guard let quote = line.dropLast().lastIndex(of: "\"") else { continue }
            let name = String(line[line.index(after: quote)..<line.index(before: line.endIndex)])
            guard !except.contains(name) else { continue }
            try #require(try await session.command("SELECT \(IMAPTestSession.quoted(name))").isOK, "SELECT \(name)")
        }
        _ = try await session.command("LOGOUT")
    }

    /// POP3 UIDL on both servers (Dovecot through the master user).
    func uidls() async throws -> (courier: [String], dovecot: [String]) {
        let courier = try await POP3TestSession(testbed.old.requirePOP3())
        try #require(try await courier.login(user.name, try user.password()).isOK)
        let old = try await courier.uidl()
        try await courier.quit()
        let master = try #require(testbed.new.masterUser)
        let dovecot = try await POP3TestSession(testbed.new.requirePOP3())
        try #require(try await dovecot.login(master.loginName(actingAs: user.name), try master.password()).isOK)
        let new = try await dovecot.uidl()
        try await dovecot.quit()
        return (old, new)
    }

    /// Deliver a message to the account through the old Postfix and wait (bounded) until it is in the Maildir.
    func deliverToCourier(subject: String) async throws {
        let before = Self.files(user.oldMaildir)
        let smtp = try await SMTPTestSession(testbed.old.smtp)
        _ = try await smtp.send(from: "late@example.test", to: [user.oldAddress], message: "Subject: \(subject)\r\n\r\nhello\r\n")
        try await smtp.quit()
        _ = try await DirectoryWatch.until("the old Postfix's delivery to \(user.oldMaildir)", in: user.oldMaildir) {
            Self.files(user.oldMaildir) > before ? true : nil
        }
    }

    static func files(_ maildir: String) -> Int {
        ["new", "cur"].reduce(0) { $0 + ((try? FileManager.default.contentsOfDirectory(atPath: maildir + "/" + $1))?.count ?? 0) }
    }
}
