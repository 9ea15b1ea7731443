import Foundation
import IMAPClient
import Logging
import MailSpool
import MailTestSupport
import Relay
import Testing
@testable import Migration

/// `mirror purge` against the testbed's Dovecot: only the tagged copy goes.
@Suite(.tags(.integration), .requiresTestbed)
struct MirrorPurgeTests {
    static func files(_ maildir: String) -> [String] {
        ["new", "cur"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(maildir)/\(folder)")) ?? []).compactMap {
                FileManager.default.contents(atPath: "\(maildir)/\(folder)/\($0)").map { String(decoding: $0, as: UTF8.self) }
            }
        }
    }

    /// Issue 12.2: only a copy whose tag verifies under the mirror's key goes; a message with
    /// a forged tag (the format every copy had before, with no MAC) is left and listed.
    @Test func removesOnlyCopiesWhoseTagVerifies() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "purge")
        let tag = MirrorTag(key: (0..<32).map { UInt8($0) })
        let copyTag = tag.headerLine(for: QueueID("066160ACCB65B7-E01438F7")!)
        let session = try await SMTPTestSession(testbed.new.smtp)
        try await session.send(from: "a@ext.test", to: [user.newAddress],
                         message: "\(copyTag)Subject: copy\r\nMessage-ID: <copy@purge.test>\r\n\r\ncopy\r\n")
        try await session.send(from: "a@ext.test", to: [user.newAddress],
                         message: "X-Mailferry-Mirror: 066160ACCB65B7-E01438F8\r\nSubject: forged\r\nMessage-ID: <forged@purge.test>\r\n\r\nreal\r\n")
        try await session.send(from: "a@ext.test", to: [user.newAddress], message: "Subject: real\r\nMessage-ID: <real@purge.test>\r\n\r\nreal\r\n")
        try await session.quit()
        let delivered = try await DirectoryWatch.until("three deliveries to \(user.newMaildir)", in: user.newMaildir) {
            Self.files(user.newMaildir).count >= 3 ? true : nil
        }
        #expect(delivered && Self.files(user.newMaildir).count == 3)
        let port = testbed.new.imap.port
        let spec = IMAPAccountSpec(
            url: try IMAPURL(parsing: "imap://\(user.name)@127.0.0.1:\(port)"),
            password: SecretSource(fileFlag: "--password-file", environmentVariable: "MAILFERRY_PASSWORD"), passwordFile: user.passwordFile,
            masterPassword: SecretSource(fileFlag: "--master-password-file", environmentVariable: "MAILFERRY_MASTER_PASSWORD"),
            tls: IMAPTLSOptions(caFile: testbed.caFile))
        let logger = Logger(label: "test")
        let dryRun = try await MirrorPurge.run(spec, tag: tag, apply: false, logger: logger)
        #expect(dryRun.total == 1)
        #expect(dryRun.unverified == 1, "the forged tag is listed")
        #expect(Self.files(user.newMaildir).count == 3, "a dry run changes nothing")
        let applied = try await MirrorPurge.run(spec, tag: tag, apply: true, logger: logger)
        #expect(applied.total == 1 && applied.unverified == 1)
        let again = try await MirrorPurge.run(spec, tag: tag, apply: false, logger: logger)
        #expect(again.total == 0 && again.unverified == 1)
        let left = Self.files(user.newMaildir)
        #expect(left.count == 2 && left.contains { $0.contains("<real@purge.test>") } && left.contains { $0.contains("<forged@purge.test>") })
    }
}
