import Cutover
import Foundation
import Logging
import MailSpool
import MailTestSupport
import Migration
import Relay
import StateStore
import SyncEngine
import Testing
import Verify

/// The cutover over the UID-keeping path (`maildir:` Courier → `maildir:` Dovecot) with the
/// mirror's copies in the new mailbox, wired as `cutover run` wires it (``CutoverSession``,
/// ``FleetMailboxes``: the real sync, purge and verify) between two private Postfix
/// instances: the copies created INBOX under Dovecot's own UIDVALIDITY before any sync, more
/// arrive between the presync and the hold, mail delivered during the presync's settle
/// window is deferred to the final delta, mail arriving in the hold is held and relayed at
/// the switch. It ends with `verify --expect-same-uids` identical and no copy left.
@Suite(.serialized, .tags(.integration), .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct CutoverUIDKeepingTests {
    /// Dovecot's LMTP delivering mirror copies of `bodies` into the Dovecot Maildir: each file
    /// in `cur/` with its record at the folder's next UID; the first one creates INBOX under
    /// Dovecot's own UIDVALIDITY.
    static func dovecotDelivers(_ bodies: [String], tag: MirrorTag, into maildir: String) throws {
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(maildir)/\(sub)", withIntermediateDirectories: true)
        }
        let path = maildir + "/dovecot-uidlist"
        var lines = (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").map(String.init)
            ?? ["3 V1765000000 N1 G0123456789abcdef0123456789abcdef"]
        var header = lines[0].split(separator: " ").map(String.init)
        let field = try #require(header.firstIndex { $0.hasPrefix("N") })
        var next = try #require(UInt32(header[field].dropFirst()))
        for body in bodies {
            let id = QueueID.make(unixTime: Date().timeIntervalSince1970)
            let copy = tag.headerLine(for: id).replacingOccurrences(of: "\r\n", with: "\n") + body
            let base = "\(Int(Date().timeIntervalSince1970)).M\(next)P1.newhost,S=\(copy.utf8.count)"
            try copy.write(toFile: "\(maildir)/cur/\(base):2,", atomically: false, encoding: .utf8)
            lines.append("\(next) :\(base)")
            next += 1
        }
        header[field] = "N\(next)"
        lines[0] = header.joined(separator: " ")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func body(_ subject: String) -> String {
        "From: sender@ext.test\nTo: alice@\(PrivatePostfix.domain)\nSubject: \(subject)\nMessage-ID: <\(subject)@ext.test>\n\n\(subject)\n"
    }

    /// Sends over SMTP to the old server, waits until the old store has `total` messages, and
    /// has Dovecot deliver the mirror's copies of them.
    static func deliver(_ subjects: [String], old: PrivatePostfix, total: Int, tag: MirrorTag, newMaildir: String) async throws {
        for subject in subjects {
            #expect(try await old.sendSMTP(to: "alice@\(PrivatePostfix.domain)", subject: subject).hasPrefix("250"))
        }
        try await old.waitFor("\(total) messages in the old store") { old.delivered(to: "alice").count == total }
        try dovecotDelivers(subjects.map(body), tag: tag, into: newMaildir)
    }

    /// The mail of the cutover's window, sent at the steps the test controls.
    struct MailAtSteps: CutoverEffects {
        let inner: any CutoverEffects
        let old: PrivatePostfix
        let tag: MirrorTag
        let newMaildir: String

        func perform(_ step: CutoverStep, token: String?) async throws -> CutoverStepOutcome {
            // Between the last presync and the hold: one more message and its copy.
            if step == .stopOldIMAP, old.delivered(to: "alice").count == 5 {
                try await CutoverUIDKeepingTests.deliver(["before-hold"], old: old, total: 6, tag: tag, newMaildir: newMaildir)
            }
            let outcome = try await inner.perform(step, token: token)
            // In the hold: accepted with 250 and held; relayed to the new server at the switch.
            if step == .enterHold { #expect(try await old.sendSMTP(to: "alice@\(PrivatePostfix.domain)", subject: "held").hasPrefix("250")) }
            return outcome
        }

        func happened(_ step: CutoverStep, token: String) async throws -> Bool { try await inner.happened(step, token: token) }
    }

    @Test func mirrorCopiesSettleWindowPurgeAndFinalDeltaKeepEveryUID() async throws {
        try await PrivatePostfix.with("uids-new", hostname: "mx.new.cutover.test") { new in
            try await PrivatePostfix.with("uids-old", hostname: "mx.old.cutover.test") { old in
                let root = NSTemporaryDirectory() + "mailferry-cutover-uids-\(UUID().uuidString.prefix(8))"
                defer { try? FileManager.default.removeItem(atPath: root) }
                let spool = root + "/spool"
                let newMaildir = root + "/vmail/alice/Maildir"
                try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
                let tag = try MirrorTag.loadOrCreate(spoolDirectory: spool)
                // The old Postfix bcc's to the mirror (postfix mirror --apply's setting; the
                // table is empty: the test delivers the copies itself).
                let bcc = "\(old.postfix.mailferryDirectory)/recipient_bcc.regexp"
                try FileManager.default.createDirectory(atPath: old.postfix.mailferryDirectory, withIntermediateDirectories: true)
                try "".write(toFile: bcc, atomically: true, encoding: .utf8)
                try await old.postfix.host.check(["/usr/sbin/postconf", "-c", old.configDirectory, "-e", "recipient_bcc_maps = regexp:\(bcc)"])

                // Mail from long ago in the old store (a Courier Maildir no IMAP client opened).
                let inbox = "\(old.mailRoot)/alice"
                for sub in ["", "/new", "/cur", "/tmp"] {
                    try FileManager.default.createDirectory(atPath: inbox + sub, withIntermediateDirectories: true,
                                                            attributes: [.ownerAccountID: 65534, .groupOwnerAccountID: 65534])
                }
                for index in 1...3 {
                    let text = Self.body("old-\(index)")
                    try text.write(toFile: "\(inbox)/cur/170000000\(index).V801I\(index)M1.mx.old,S=\(text.utf8.count):2,S", atomically: false, encoding: .utf8)
                }
                // The mirror is on: two messages now, and their copies create Dovecot's INBOX.
                try await Self.deliver(["mirrored-1", "mirrored-2"], old: old, total: 5, tag: tag, newMaildir: newMaildir)

                let config = "\(root)/cutover.toml"
                try """
                    [source]
                    url = "maildir:\(old.mailRoot)/{user}"
                    [destination]
                    url = "maildir:\(root)/vmail/{user}/Maildir?format=dovecot"
                    owner = "65534:65534"
                    [sync]
                    state = "\(root)/state"
                    [[accounts]]
                    user = "alice"
                    [cutover]
                    domains = ["\(PrivatePostfix.domain)"]
                    [cutover.old]
                    host = "local"
                    postfix = "\(old.configDirectory)"
                    mail_root = "\(old.mailRoot)"
                    stop_imap_command = ["/bin/true"]
                    start_imap_command = ["/bin/true"]
                    [cutover.new]
                    postfix = "\(new.configDirectory)"
                    relay_host = "\(new.address)"
                    relay_port = \(new.port)
                    deliver_locally_command = ["/bin/true"]
                    relay_to_old_command = ["/bin/true"]
                    close_logins_command = ["/bin/true"]
                    open_logins_command = ["/bin/true"]
                    [cutover.mirror]
                    spool = "\(spool)"
                    [cutover.presync]
                    settle = "1h"
                    [cutover.drain]
                    ttl = "0s"
                    margin = "0s"
                    """.write(toFile: config, atomically: true, encoding: .utf8)

                let session = try CutoverSession.open(configPath: config)
                let hosts = try session.hosts()
                var effects = session.effects(hosts: hosts, logger: Logger(label: "test"), prover: nil)
                effects.drainInterval = .milliseconds(200)
                let runner = session.runner(effects: MailAtSteps(inner: effects, old: old, tag: tag, newMaildir: newMaildir))
                let outcome = try await runner.run()
                let records = try await session.journal.records()
                func detail(_ step: CutoverStep) -> String {
                    records.compactMap { record -> String? in
                        guard record.step == step, case .finished(let result) = record.event else { return nil }
                        return result.detail
                    }.last ?? "(not finished: \(records.filter { $0.step == step }.map(\.event)))"
                }
                #expect(outcome == .finished, "\(records.map { "\($0.step?.name ?? "-") \($0.event)" })")
                // The presync adopted the copies' INBOX and left the settle window's mail.
                #expect(detail(.presync(round: 1)) == "copied 3 messages; 1 folder of mirror copies adopted under the source's "
                    + "UIDVALIDITY; 2 deferred (delivered in the settle window; a later pass copies them)")
                #expect(detail(.purgeMirrorCopies) == "removed 3 mirror copies")
                #expect(detail(.finalSync) == "copied 3 messages")
                #expect(detail(.verify).hasPrefix("1 accounts, 6 messages, nothing missing or altered, same UIDs"), "\(detail(.verify))")

                // The proof as `verify --expect-same-uids --deep` gives it, from Courier's files.
                var request = MigrationRequest()
                request.config = config
                var options = VerifyOptions()
                options.deep = true
                options.expectSameUIDs = true
                let verified = try await MigrationSetup.resolve(request, readOnly: true, logger: Logger(label: "test"))
                    .verify(store: nil, rules: MappingRules(), options: options)
                let account = try #require(verified.first)
                #expect(account.isIdentical, "\(account.discrepancies.prefix(5)) \(account.error ?? "")")
                let files = ["cur", "new"].flatMap { sub in
                    ((try? FileManager.default.contentsOfDirectory(atPath: "\(newMaildir)/\(sub)")) ?? []).map { "\(newMaildir)/\(sub)/\($0)" }
                }
                let copies = files.filter { (try? String(contentsOfFile: $0, encoding: .utf8))?.contains("X-Mailferry-Mirror:") ?? false }
                #expect(files.count == 6 && copies.isEmpty, "0 duplicated: \(files.count) files, \(copies.count) copies")
                let uidlist = try String(contentsOfFile: newMaildir + "/dovecot-uidlist", encoding: .utf8)
                #expect(uidlist.split(separator: "\n").dropFirst().count == 6, "no purged copy's record left: \(uidlist)")

                // The held message went to the new server at the switch.
                try await new.waitFor("the held message in the new store", timeout: .seconds(60)) { new.subjects(of: "alice") == ["held"] }
            }
        }
    }
}
