import Foundation
import IMAPClient
import Logging
import MailSpool
import MailTestSupport
import Relay
import SMTPClient
import StateStore
import SyncEngine
import Testing
import Verify
@testable import Migration

/// The UID-keeping rehearsal of issue 16 on the testbed: the mirror on and mail arriving,
/// presyncs `maildir:` → `maildir:`, the hold (delivery stops), `mirror purge`, the final
/// pass, `verify --expect-same-uids` read from Courier's files; then Courier's own next scan
/// must show the UIDVALIDITY and UIDs Dovecot now has. No `--overwrite-uidvalidity`.
///
/// Mail goes through the shared old Postfix; the copy that `postfix mirror`'s bcc would
/// send goes straight to the in-process mirror (the shared Postfix is not reconfigured).
@Suite(.tags(.integration), .requiresTestbed)
struct UIDKeepingRehearsalTests {
    let logger = Logger(label: "test")

    static func files(_ maildir: String) -> [String] {
        ["new", "cur"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(maildir)/\(folder)")) ?? []).map { "\(maildir)/\(folder)/\($0)" }
        }
    }

    /// The mirror's copies in a Maildir (the synced messages are there too).
    static func copies(_ maildir: String) -> Int {
        files(maildir).filter { path in
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self).contains("X-Mailferry-Mirror: ") } ?? false
        }.count
    }

    static func messageID(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("message-id:") }
            .map { $0.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces) }
    }

    /// UIDVALIDITY and Message-ID by UID of the Dovecot folder, from its own files.
    static func dovecot(_ maildir: String) throws -> (validity: String, ids: [UInt32: String]) {
        let lines = try String(contentsOfFile: maildir + "/dovecot-uidlist", encoding: .utf8).split(separator: "\n")
        let validity = lines.first?.split(separator: " ").first { $0.hasPrefix("V") }.map { String($0.dropFirst()) } ?? ""
        var paths: [String: String] = [:]
        for path in files(maildir) {
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            paths[String(name.split(separator: ":").first ?? "")] = path
        }
        var ids: [UInt32: String] = [:]
        for line in lines.dropFirst() {
            guard let uid = line.split(separator: " ").first.flatMap({ UInt32($0) }), let colon = line.firstIndex(of: ":"),
                let path = paths[String(line[line.index(after: colon)...])], let data = FileManager.default.contents(atPath: path)
            else { continue }
            ids[uid] = messageID(String(decoding: data, as: UTF8.self))
        }
        return (validity, ids)
    }

    /// UIDVALIDITY and Message-ID by UID as Courier shows INBOX (a SELECT: Courier scans).
    static func courier(_ testbed: Testbed, _ user: TestbedUser) async throws -> (validity: String, ids: [UInt32: String]) {
        let session = try await IMAPTestSession(testbed.old.imap)
        try #require(try await session.login(user.name, try user.password()).isOK)
        let selected = try await session.command("SELECT INBOX")
        try #require(selected.isOK)
        let validity = selected.untagged.compactMap { line -> String? in
            guard let range = line.range(of: "[UIDVALIDITY ") else { return nil }
            return String(line[range.upperBound...].prefix { $0.isNumber })
        }.first ?? ""
        var ids: [UInt32: String] = [:]
        let fetch = try await session.command("UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        var literals = fetch.literals.makeIterator()
        for line in fetch.untagged where line.contains("FETCH") {
            guard let range = line.range(of: "UID "), let uid = UInt32(line[range.upperBound...].prefix { $0.isNumber }),
                let literal = literals.next()
            else { continue }
            ids[uid] = messageID(String(decoding: literal, as: UTF8.self))
        }
        _ = try await session.command("LOGOUT")
        return (validity, ids)
    }

    func request(_ user: TestbedUser, _ testbed: Testbed, state: String) -> MigrationRequest {
        var request = MigrationRequest()
        request.from = .init(url: "maildir:" + user.oldMaildir)
        request.to = .init(url: "maildir:" + user.newMaildir)
        request.owner = testbed.new.mailOwner ?? "tbvmail"
        request.state = state
        return request
    }

    func sync(_ request: MigrationRequest, state: String) async throws -> AccountReport {
        let setup = try MigrationSetup.resolve(request, logger: logger)
        var options = SyncOptions()
        options.temporaryDirectory = state
        let reports = await setup.sync(
            store: try SQLiteStateStore(directory: state), rules: MappingRules(), options: options, observer: SilentObserver(), rateLimiter: nil)
        return try #require(reports.first)
    }

    @Test func mirrorPresyncHoldPurgeFinalPassAndVerifyKeepCouriersUIDs() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "cutoveruidsreh")
        let harness = MirrorHarness()
        harness.downstreamPort = testbed.new.smtp.port
        let state = harness.directory + "-state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: state) }
        // A client has INBOX open on the old server: Courier has numbered it (UIDVALIDITY kept).
        let before = try await Self.courier(testbed, user)
        var base = request(user, testbed, state: state)
        base.mirrorTagKeyFile = MirrorTag.keyPath(spoolDirectory: harness.directory)
        let localPart = String(user.oldAddress.split(separator: "@")[0])
        var sent: [String] = []

        // An error inside the mirror's scope is carried out of it: the harness stops the mirror
        // only when its body returns.
        var failure: (any Error)?
        try await harness.withMirror(retry: MirrorTestbedTests.retry) { port, spool in
          do {
            func deliver(_ count: Int) async throws {
                for _ in 0..<count {
                    let id = "<rehearsal-\(UUID().uuidString)@mailferry.test>"
                    let body = "From: <a@ext.test>\r\nTo: <\(user.oldAddress)>\r\nSubject: rehearsal\r\nMessage-ID: \(id)\r\n\r\nbody\r\n"
                    let session = try await SMTPTestSession(testbed.old.smtp)
                    #expect(try await session.send(from: "a@ext.test", to: [user.oldAddress], message: body).contains("queued"))
                    try await session.quit()
                    let copy = try await harness.send(to: port, recipients: ["\(localPart)@old.test.mirror.invalid"], body: body)
                    #expect(copy.map(\.disposition) == [.delivered])
                    sent.append(id)
                }
                // Postfix delivers the originals and Dovecot the copies: other processes' files.
                let arrived = try await DirectoryWatch(user.oldMaildir, user.newMaildir).until(timeout: .seconds(60)) {
                    Self.files(user.oldMaildir).count == sent.count && Self.copies(user.newMaildir) == sent.count
                }
                try #require(arrived, "old: \(Self.files(user.oldMaildir).count), copies: \(Self.copies(user.newMaildir)) of \(sent.count)")
            }
            // The first copies come before any sync: Dovecot creates INBOX with its own UIDVALIDITY.
            try await deliver(3)
            // Every presync runs with a settle window, as docs/admin/uid-keeping.md says: without one,
            // a file delivered later in the second the presync numbered, and sorting earlier,
            // gets another UID from Courier.
            var firstPresync = base
            firstPresync.settleSeconds = 10
            let first = try await sync(firstPresync, state: state)
            // Mail of the last 10 s may be deferred: then the run says so, never "complete".
            #expect(first.outcome == (first.deferred > 0 ? .deferred : .complete), "\(first.folders.compactMap(\.error))")
            #expect(first.adoptedFolders == 1, "the INBOX Dovecot created for the copies")
            try await deliver(3)
            // A presync while mail flows leaves the recent second(s) for later.
            var presync = base
            presync.settleSeconds = 3600
            let second = try await sync(presync, state: state)
            #expect(second.outcome == .deferred && second.deferred >= 3, "\(second.folders.compactMap(\.error))")
            try await deliver(2)
            // The hold: nothing more is delivered.
            #expect(try await harness.eventually(timeout: .seconds(30)) { try spool.finishedRecords().count == sent.count })
          } catch {
            failure = error
          }
        }
        if let failure { throw failure }

        // The purge as the cutover runs it for a maildir: destination: on disk, under the live
        // Dovecot's lock; a dry run first. A copy LMTP saved while a presync held the lock has
        // no UID; the purge removes it as a file.
        let dryRun = try await MirrorPurge.run(maildir: "maildir:" + user.newMaildir, owner: nil, tag: try harness.tag(), apply: false)
        #expect(dryRun.total == sent.count && Self.copies(user.newMaildir) == sent.count, "\(dryRun.folders) of \(sent.count), \(Self.copies(user.newMaildir)) files")
        let purged = try await MirrorPurge.run(maildir: "maildir:" + user.newMaildir, owner: nil, tag: try harness.tag(), apply: true)
        #expect(purged.total == sent.count && purged.unverified == 0)
        #expect(Self.copies(user.newMaildir) == 0)

        let final = try await sync(base, state: state)
        #expect(final.outcome == .complete && final.deferred == 0, "\(final.folders.compactMap(\.error))")

        var options = VerifyOptions()
        options.deep = true
        options.expectSameUIDs = true
        let verified = try await MigrationSetup.resolve(request(user, testbed, state: state), readOnly: true, logger: logger)
            .verify(store: nil, rules: MappingRules(), options: options)
        let inbox = try #require(verified.first)
        #expect(inbox.isIdentical, "\(inbox.discrepancies.prefix(5)) \(inbox.error ?? "")")

        let dovecot = try Self.dovecot(user.newMaildir)
        #expect(Set(dovecot.ids.values) == Set(sent) && dovecot.ids.count == sent.count, "0 lost, 0 duplicated")
        // Courier's next scan (in a real cutover Courier stays stopped) agrees on every UID.
        let after = try await Self.courier(testbed, user)
        #expect(after.validity == before.validity)
        #expect(dovecot.validity == after.validity)
        #expect(dovecot.ids == after.ids)
    }
}
