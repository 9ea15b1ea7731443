import Foundation
import MailModel
import MailTestSupport
import SyncEngine
import Testing
import Verify

/// Courier → Dovecot Maildir on the real servers of the testbed, with `mailferry sync` as an
/// admin runs it: over IMAP afterwards, every message's UIDVALIDITY, UID, flags, keywords,
/// INTERNALDATE and bytes on Dovecot equal Courier's, and POP3 UIDL lists are equal.
///
/// "Same bytes": both servers send a file's LF line ends as CRLF, and neither adds a missing
/// final newline (the corpus has such a message), so a Maildir copied byte for byte is
/// byte-identical over IMAP. From Courier over IMAP, the Dovecot file holds the CRLF bytes
/// Courier sent, which Dovecot sends back unchanged: identical over IMAP too, while on disk
/// the Maildir path keeps the original LF bytes and the IMAP path the CRLF ones.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct MaildirTestbedTests {
    /// A folder no IMAP client has opened before the migration (no courierimapuiddb).
    static let neverOpened = "INBOX.Junk"

    func verifyOverIMAP(_ account: MaildirTestbedAccount) async -> AccountVerification {
        var options = VerifyOptions()
        options.deep = true
        options.expectSameUIDs = true
        return await AccountVerifier(
            account: account.user.name, source: account.courierIMAP, destination: account.dovecotIMAP, store: nil, options: options
        ).run()
    }

    /// Every discrepancy except the UIDVALIDITY of the never-opened folder: Courier gives it
    /// one of its own (time − 10⁹) when verify opens it, after mailferry gave it one; no
    /// client had cached either, and its UIDs are Courier's.
    func unexpected(_ verification: AccountVerification) -> [Discrepancy] {
        verification.discrepancies.filter { !($0.kind == .uidValidityDiffers && $0.source?.folder == Self.neverOpened) }
    }

    @Test func courierMaildirReadDirectly() async throws {
        let account = try await MaildirTestbedAccount(prefix: "mdsync", messages: 160)
        let state = temporaryStateDirectory("maildir-sync")
        defer { try? FileManager.default.removeItem(atPath: state) }
        // As in real life: folders used over IMAP have Courier's UID database, INBOX was read over
        // POP3 (Courier's POP3 UIDLs exist), and one folder was never opened.
        _ = try await account.uidls()
        try await account.openOnCourier(except: [Self.neverOpened])
        try await account.deliverToCourier(subject: "waiting in new/")

        // A delivery while the first run goes on (throttled so that it lasts a few seconds).
        let arguments = account.syncArguments(state: state)
        let run = Task { try await MailferryProcess.run(arguments + ["--bandwidth", "2MB"], logDirectory: state + "/logs") }
        try await account.deliverToCourier(subject: "arrived during the run")
        let (first, output) = try await run.value
        #expect(first == 0, "\(output)")
        let (second, _) = try await MailferryProcess.run(arguments, logDirectory: state + "/logs")
        #expect(second == 0)

        // POP3: Courier's list (its login also files the new mail for POP3), a final run to carry
        // the new UIDLs over, then Dovecot's list.
        let courierUIDLs = try await account.uidls().courier
        let (third, _) = try await MailferryProcess.run(arguments, logDirectory: state + "/logs")
        #expect(third == 0)
        let (courier, dovecot) = try await account.uidls()
        #expect(courier == courierUIDLs)
        #expect(dovecot == courier, "POP3 UIDLs differ")
        #expect(courier.count >= 2 && courier.allSatisfy { $0.hasPrefix("UID") })

        let verified = await verifyOverIMAP(account)
        #expect(verified.error == nil, "\(verified.error ?? "")")
        #expect(unexpected(verified).isEmpty, "\(unexpected(verified).prefix(5))")
        #expect(verified.matched == account.messageCount + 2)
    }

    @Test func courierOverIMAP() async throws {
        let account = try await MaildirTestbedAccount(prefix: "mdimap", messages: 120, seed: 12)
        let state = temporaryStateDirectory("maildir-imap")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let arguments = account.syncArguments(state: state, overIMAP: true)
        let (first, output) = try await MailferryProcess.run(arguments, logDirectory: state + "/logs")
        #expect(first == 0, "\(output)")
        let verified = await verifyOverIMAP(account)
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(5)) \(verified.error ?? "")")
        #expect(verified.matched == account.messageCount)

        // New mail and a flag change on Courier: the re-run carries both, keeping Courier's UIDs.
        try await account.deliverToCourier(subject: "after the first run")
        let imap = try await IMAPTestSession(account.testbed.old.imap)
        try #require(try await imap.login(account.user.name, try account.user.password()).isOK)
        try #require(try await imap.command("SELECT INBOX").isOK)
        try #require(try await imap.command("UID STORE 1 +FLAGS (\\Flagged $Important)").isOK)
        _ = try await imap.command("LOGOUT")
        let (second, _) = try await MailferryProcess.run(arguments, logDirectory: state + "/logs")
        #expect(second == 0)
        let after = await verifyOverIMAP(account)
        #expect(after.isIdentical, "\(after.discrepancies.prefix(5))")
        #expect(after.matched == account.messageCount + 1)
        let (verifyStatus, report) = try await MailferryProcess.run(account.verifyArguments(), logDirectory: state + "/logs")
        #expect(verifyStatus == 0, "mailferry verify --expect-same-uids: \(report)")
    }
}
