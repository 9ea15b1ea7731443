import Foundation
import Logging
import MailferryConfig
import MailSpool
import Relay
import Testing

@testable import Migration

/// The cutover's mailbox work on the UID-keeping Maildir path (issue 16): the options each
/// pass gets, and the purge of the mirror's copies from a `maildir:` destination.
@Suite struct FleetMailboxesTests {
    /// A config with a Courier `maildir:` source, a Dovecot `maildir:` destination and the
    /// mirror's spool, in a fresh directory.
    struct Site {
        let root = NSTemporaryDirectory() + "mailferry-fleet-\(UUID().uuidString.prefix(8))"
        var spool: String { root + "/spool" }
        var inbox: String { root + "/new/alice/Maildir" }
        var config: String { root + "/cutover.toml" }

        func write(presync: String = "") throws {
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            try """
                [source]
                url = "maildir:\(root)/old/{user}/Maildir"
                [destination]
                url = "maildir:\(root)/new/{user}/Maildir?format=dovecot"
                [sync]
                state = "\(root)/state"
                [[accounts]]
                user = "alice"
                [cutover]
                domains = ["example.com"]
                [cutover.old]
                host = "local"
                [cutover.new]
                relay_host = "192.0.2.20"
                deliver_locally_command = ["/bin/true"]
                relay_to_old_command = ["/bin/true"]
                close_logins_command = ["/bin/true"]
                open_logins_command = ["/bin/true"]
                [cutover.mirror]
                spool = "\(spool)"
                \(presync)
                """.write(toFile: config, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }

        /// What Dovecot's LMTP leaves for `messages` (UID, header lines) in INBOX, under its
        /// own UIDVALIDITY, with the next UID `next`.
        func dovecotHas(_ messages: [(uid: Int, header: String)], next: Int) throws {
            for sub in ["cur", "new", "tmp"] {
                try FileManager.default.createDirectory(atPath: "\(inbox)/\(sub)", withIntermediateDirectories: true)
            }
            var lines = ["3 V1765000000 N\(next) G0123456789abcdef0123456789abcdef"]
            for message in messages {
                let body = "From: s@example.test\nSubject: m\(message.uid)\n\(message.header)\nbody\n"
                let base = "1765000\(message.uid).M1P1.newhost,S=\(body.utf8.count)"
                try body.write(toFile: "\(inbox)/cur/\(base):2,", atomically: false, encoding: .utf8)
                lines.append("\(message.uid) :\(base)")
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: inbox + "/dovecot-uidlist", atomically: true, encoding: .utf8)
        }

        var uidlist: String { (try? String(contentsOfFile: inbox + "/dovecot-uidlist", encoding: .utf8)) ?? "" }
        var files: [String] { (try? FileManager.default.contentsOfDirectory(atPath: inbox + "/cur")) ?? [] }
    }

    func mailboxes(_ site: Site) -> FleetMailboxes { FleetMailboxes(configPath: site.config, logger: .init(label: "test")) }

    @Test func presyncsGetTheMirrorKeyAndTheSettleWindowTheFinalDeltaOnlyTheKey() throws {
        let site = Site()
        defer { site.remove() }
        try site.write()
        let config = try MigrationConfig.load(path: site.config)
        let presync = mailboxes(site).request(.presync, config: config)
        let final = mailboxes(site).request(.final, config: config)
        let key = MirrorTag.keyPath(spoolDirectory: site.spool)
        #expect(presync.mirrorTagKeyFile == key && presync.settleSeconds == 10)
        #expect(final.mirrorTagKeyFile == key && final.settleSeconds == nil)
        #expect(mailboxes(site).request(nil, config: config).mirrorTagKeyFile == nil, "verify reads, it writes no UIDs")
        #expect(FleetMailboxes.commandLine(.presync, configPath: site.config).hasSuffix("--mirror-tag-key \(key) --settle 10"))

        try site.write(presync: "[cutover.presync]\nsettle = \"1m\"")
        #expect(mailboxes(site).request(.presync, config: try MigrationConfig.load(path: site.config)).settleSeconds == 60)
        try site.write(presync: "[cutover.presync]\nsettle = \"0s\"")
        #expect(mailboxes(site).request(.presync, config: try MigrationConfig.load(path: site.config)).settleSeconds == nil)
    }

    /// A `maildir:` destination is purged on disk: user logins stay closed until *open*, and
    /// dovecot-uidlist must keep no record of a purged copy.
    @Test func purgeOnAMaildirDestinationRemovesOnlyVerifiedCopiesAndTheirRecords() async throws {
        let site = Site()
        defer { site.remove() }
        try site.write()
        let tag = try MirrorTag.loadOrCreate(spoolDirectory: site.spool)
        let copy = tag.headerLine(for: QueueID.make(unixTime: 1_765_000_001)).trimmingCharacters(in: .newlines)
        let forged = "X-Mailferry-Mirror: 000645A2F0A8C0-0000ABCD; mac=00000000000000000000000000000000"
        try site.dovecotHas([(3, "X-Other: 1"), (1_000_005, copy), (1_000_006, forged), (1_000_007, copy)], next: 1_000_008)

        let purge = try await mailboxes(site).purgeMirrorCopies()
        #expect(purge.removed == 2)
        #expect(purge.left == ["alice INBOX UID 1000006 (tag does not verify)"])
        #expect(site.files.count == 2)
        let records = site.uidlist.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) }
        #expect(records == ["3", "1000006"], "the purged copies' records are gone at once")
        #expect(site.uidlist.hasPrefix("3 V1765000000 N1000008 "), "the next UID never goes down")

        // A copy Dovecot's LMTP saved without a UID (the uid list was locked) goes as a file; a
        // forged one beside it stays, and so does the uid list.
        let unnumbered = "1765000009.M9P1.newhost"
        let unnumberedForgery = "1765000010.M10P1.newhost"
        try "From: s@example.test\n\(copy)\n\nbody\n".write(toFile: "\(site.inbox)/new/\(unnumbered)", atomically: false, encoding: .utf8)
        try "From: s@example.test\n\(forged)\n\nbody\n".write(toFile: "\(site.inbox)/new/\(unnumberedForgery)", atomically: false, encoding: .utf8)
        let uidlist = site.uidlist
        let again = try await mailboxes(site).purgeMirrorCopies()
        #expect(again.removed == 1 && again.left == ["alice INBOX UID 1000006 (tag does not verify)"])
        #expect(!FileManager.default.fileExists(atPath: "\(site.inbox)/new/\(unnumbered)"))
        #expect(FileManager.default.fileExists(atPath: "\(site.inbox)/new/\(unnumberedForgery)"))
        #expect(site.uidlist == uidlist)
        // Run again (a resume): nothing more to remove.
        #expect(try await mailboxes(site).purgeMirrorCopies().removed == 0)
    }

    @Test func aDryRunCountsAndChangesNothing() async throws {
        let site = Site()
        defer { site.remove() }
        try site.write()
        let tag = try MirrorTag.loadOrCreate(spoolDirectory: site.spool)
        let copy = tag.headerLine(for: QueueID.make(unixTime: 1_765_000_001)).trimmingCharacters(in: .newlines)
        try site.dovecotHas([(1_000_005, copy)], next: 1_000_006)
        let before = site.uidlist
        let report = try await MirrorPurge.run(maildir: "maildir:\(site.inbox)", owner: nil, tag: tag, apply: false)
        #expect(report.total == 1 && !report.applied)
        #expect(site.uidlist == before && site.files.count == 1)
    }
}
