import Cutover
import Foundation
import MailferryConfig
import MailTestSupport
import Synchronization
import Testing
import Verify

@testable import Migration

/// The live effects against scripted hosts: which commands each step runs where, and how
/// it ends when the host's answer is not the expected one.
@Suite struct HostCutoverEffectsTests {
    /// A host that records each argv and answers from a script (exit status, stdout).
    final class ScriptedHost: Cutover.Host {
        let name: String
        let ran = Mutex<[[String]]>([])
        let answer: @Sendable ([String], Int) -> (Int32, String)

        init(name: String, answer: @escaping @Sendable ([String], Int) -> (Int32, String) = { _, _ in (0, "") }) {
            self.name = name
            self.answer = answer
        }

        func run(_ command: HostCommand) async throws -> CommandOutput {
            let count = ran.withLock { $0.append(command.argv); return $0.filter { $0 == command.argv }.count }
            let (status, output) = answer(command.argv, count)
            return CommandOutput(command: command, status: status, standardOutput: output, standardError: "", duration: .zero)
        }

        func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int) async throws {}
        func readFile(_ path: String) async throws -> [UInt8]? { nil }
        func removeFile(_ path: String) async throws {}
    }

    struct NoMailboxes: CutoverMailboxes {
        var verifies = false
        var deferred = 0
        var adoptedFolders = 0
        func sync(_ pass: CutoverSyncPass) async throws -> CutoverSyncResult {
            CutoverSyncResult(copied: 7, adoptedFolders: adoptedFolders, deferred: deferred)
        }
        func verify() async throws -> (passed: Bool, detail: String) { verifies ? (true, "intact") : (false, "1 missing") }
        func purgeMirrorCopies() async throws -> (removed: Int, left: [String]) {
            (3, ["alice INBOX UID 9 (tag does not verify)"])
        }
        func markNewMailboxes() async throws -> NewMailboxMarks { NewMailboxMarks(accounts: ["alice": ["INBOX": .init(uidValidity: 7, uidNext: 12)]]) }
        func copyBackSinceSwitch(marks: NewMailboxMarks, to old: any Cutover.Host) async throws -> Int { marks.folderCount }
    }

    static let config = try! #require(MigrationConfig.parse(CutoverConfigTests.base, origin: "/etc/c.toml").cutover)

    func effects(old: ScriptedHost, new: ScriptedHost, mailboxes: NoMailboxes = NoMailboxes()) -> HostCutoverEffects {
        HostCutoverEffects(
            config: Self.config,
            hosts: CutoverHosts(old: old, new: new, oldPostfix: "/etc/postfix", newPostfix: "/etc/postfix", domains: CutoverDomains(["example.com"])),
            mailboxes: mailboxes, journal: ModelJournal(), prover: nil, reportDirectory: "/tmp", now: { 1_800_000_000 })
    }

    /// The purge names what it left.
    @Test func thePurgeNamesWhatItLeft() async throws {
        let purged = try await effects(old: ScriptedHost(name: "old"), new: ScriptedHost(name: "new")).perform(.purgeMirrorCopies, token: nil)
        #expect(purged == .done(CutoverResult(
            copied: 3, detail: "removed 3 mirror copies; left 1 message(s) whose X-Mailferry-Mirror tag does not verify "
                + "(not this mirror's copies): alice INBOX UID 9 (tag does not verify)")))
    }

    /// A presync may leave the settle window's mail for later (counted in its detail); the
    /// final delta may not: "complete" never hides a deferred message, the cutover stays in
    /// the hold.
    @Test func deferredMailIsCountedInAPresyncAndFailsTheFinalDelta() async throws {
        let effects = effects(old: ScriptedHost(name: "old"), new: ScriptedHost(name: "new"), mailboxes: NoMailboxes(deferred: 2, adoptedFolders: 1))
        let presync = try await effects.perform(.presync(round: 1), token: nil)
        #expect(presync == .done(CutoverResult(
            copied: 7, detail: "copied 7 messages; 1 folder of mirror copies adopted under the source's UIDVALIDITY; "
                + "2 deferred (delivered in the settle window; a later pass copies them)")))
        let final = try await effects.perform(.finalSync, token: nil)
        guard case .failed(let reason) = final else { Issue.record("\(final)"); return }
        #expect(reason.hasPrefix("final delta: copied 7 messages;") && reason.contains("2 deferred") && reason.contains("staying in the hold"))
        let settled = self.effects(old: ScriptedHost(name: "old"), new: ScriptedHost(name: "new"))
        #expect(try await settled.perform(.finalSync, token: nil) == .done(CutoverResult(copied: 7, detail: "copied 7 messages")))
    }

    @Test func newSideStepsRunTheConfiguredCommandsThere() async throws {
        let old = ScriptedHost(name: "old")
        let new = ScriptedHost(name: "new")
        let outcome = try await effects(old: old, new: new).perform(.closeNewLogins, token: nil)
        #expect(outcome == .done(CutoverResult(detail: "`/bin/true` exit status 0")))
        #expect(new.ran.withLock { $0 } == [["/bin/true"]])
        #expect(old.ran.withLock { $0 }.isEmpty)
    }

    @Test func stoppingOldIMAPWaitsUntilNoDaemonIsLeft() async throws {
        // pgrep finds a session twice, then none (exit 1).
        let old = ScriptedHost(name: "old") { argv, count in
            argv.first == "pgrep" ? (count < 3 ? (0, "4242 imapd\n") : (1, "")) : (0, "")
        }
        var effects = effects(old: old, new: ScriptedHost(name: "new"))
        let clock = TestClock(advance: .onSleep)
        effects.clock = clock
        let outcome = try await effects.perform(.stopOldIMAP, token: nil)
        guard case .done = outcome else { Issue.record("\(outcome)"); return }
        let ran = old.ran.withLock { $0 }
        #expect(ran.first == ["systemctl", "stop"] + CutoverConfig.defaultImapUnits)
        #expect(ran.filter { $0.first == "pgrep" }.count == 3)
        #expect(clock.sleeps.map(\.offset) == [.milliseconds(250), .milliseconds(500)], "a wait between each two looks")
    }

    @Test func theSwitchWithoutTheHoldsBackupRefusesAndRollbackHasNothingToRestore() async throws {
        let old = ScriptedHost(name: "old")
        let effects = effects(old: old, new: ScriptedHost(name: "new"))
        let relay = try await effects.perform(.relayOldToNew, token: nil)
        #expect(relay == .failed(reason: "no cutover backup on the old host: the hold was not applied there"))
        let restore = try await effects.perform(.rollbackRestoreOld, token: nil)
        #expect(restore == .done(CutoverResult(detail: "no cutover backup: the old Postfix was not changed")))
        #expect(!old.ran.withLock { $0 }.contains { $0.contains("reload") })
    }

    @Test func aFailedVerifyIsAFailedStepAndASyncPassCountsItsCopies() async throws {
        let effects = effects(old: ScriptedHost(name: "old"), new: ScriptedHost(name: "new"))
        #expect(try await effects.perform(.verify, token: nil) == .failed(reason: "verify: 1 missing"))
        #expect(try await effects.perform(.presync(round: 1), token: nil) == .done(CutoverResult(copied: 7, detail: "copied 7 messages")))
    }

    @Test func theDrainWaitsForTheTTLAndMarginAfterTheSwitch() async throws {
        let journal = ModelJournal()
        try await journal.append(step: .relayOldToNew, event: .finished(CutoverResult()), at: 1_800_000_000 - 100)
        var effects = effects(old: ScriptedHost(name: "old"), new: ScriptedHost(name: "new"))
        effects.journal = journal
        let outcome = try await effects.perform(.drainCheck, token: nil)
        guard case .notYet(let detail, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(detail.contains("TTL + margin ends in \(86_400 + 3600 - 100) s"))
    }
}

extension HostCutoverEffectsTests {
    /// The marks taken before the switch travel in the journal to the rollback's copy-back;
    /// without them the copy-back cannot tell new mail from old and stops (both sides safe).
    @Test func theCopyBackReadsTheMarksFromTheJournal() async throws {
        let journal = ModelJournal()
        var effects = effects(old: ScriptedHost(name: "old"), new: ScriptedHost(name: "new"))
        effects.journal = journal
        let refused = try await effects.perform(.rollbackCopyBack, token: nil)
        guard case .failed(let reason) = refused else { Issue.record("\(refused)"); return }
        #expect(reason.contains("no marks of the new mailboxes"))

        let marked = try await effects.perform(.markNewMailboxes, token: nil)
        guard case .done(let result) = marked else { Issue.record("\(marked)"); return }
        #expect(result.marks?.accounts["alice"]?["INBOX"] == NewMailboxMarks.Folder(uidValidity: 7, uidNext: 12))
        #expect(result.detail == "marked 1 folders of 1 accounts")
        try await journal.append(step: .markNewMailboxes, event: .finished(result), at: 1_800_000_000)
        let copied = try await effects.perform(.rollbackCopyBack, token: nil)
        guard case .done(let copiedResult) = copied else { Issue.record("\(copied)"); return }
        #expect(copiedResult.copied == 1)
    }

    @Test func proveWritesTheReportWithTheFreezeWindow() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-report-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = ModelJournal()
        try await journal.append(step: .enterHold, event: .started(token: nil), at: 100)
        try await journal.append(step: .enterHold, event: .finished(CutoverResult()), at: 102)
        try await journal.append(step: .relayOldToNew, event: .finished(CutoverResult()), at: 104.5)
        var effects = effects(old: ScriptedHost(name: "old"), new: ScriptedHost(name: "new"))
        effects.journal = journal
        effects.reportDirectory = directory
        // NoMailboxes' verify fails: the step fails, and the report says so.
        let outcome = try await effects.perform(.prove, token: nil)
        guard case .failed(let reason) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason.hasPrefix("verify: 1 missing; report \(directory)/cutover-report.json"))
        let report = try JSONDecoder().decode(CutoverReport.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/cutover-report.json")))
        #expect(report.freezeSeconds == 4.5)
        #expect(!report.passed)
        #expect(report.steps.map(\.step) == ["enter-hold", "relay-old-to-new"])
    }
}

extension HostCutoverEffectsTests {
    /// A message file written into the old store after the final delta began is an alarm:
    /// verify fails (the cutover stays in the hold) even though the mailboxes compare equal.
    @Test func aFileInTheOldStoreAfterTheFinalDeltaIsAnAlarm() async throws {
        let late = "/home/alice/Maildir/new/1765000000.M1P2.old"
        let old = ScriptedHost(name: "old") { argv, _ in argv.first == "/usr/bin/find" ? (0, late + "\n") : (0, "") }
        var effects = effects(old: old, new: ScriptedHost(name: "new"))
        effects.config.old.mailRoot = "/home"
        effects.mailboxes = NoMailboxes(verifies: true)
        #expect(try await effects.perform(.finalSync, token: nil) == .done(CutoverResult(copied: 7, detail: "copied 7 messages")))
        let outcome = try await effects.perform(.verify, token: nil)
        guard case .failed(let reason) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason.contains("alarm: 1 message file(s)") && reason.contains(late))
        let ran = old.ran.withLock { $0 }
        // The marker costs one round trip to the old host inside the freeze.
        let marker = ran.filter { $0.last == "/etc/postfix/mailferry/cutover-final-delta.marker" }
        #expect(marker.count == 1 && marker.first?.first == "/bin/sh" && marker.first?.contains("/etc/postfix/mailferry") == true)
        #expect(ran.last?.contains("-newer") == true)

        let quiet = ScriptedHost(name: "old")
        var clean = self.effects(old: quiet, new: ScriptedHost(name: "new"))
        clean.config.old.mailRoot = "/home"
        clean.mailboxes = NoMailboxes(verifies: true)
        // A verify that passes carries the new mailboxes' marks for the switch.
        #expect(try await clean.perform(.verify, token: nil)
            == .done(CutoverResult(detail: "intact", marks: try await NoMailboxes().markNewMailboxes())))
    }
}

extension HostCutoverEffectsTests {
    /// Mailboxes whose verify reads the marks in its own sessions; a separate mark read counts.
    final class MarkingMailboxes: CutoverMailboxes {
        static let verified = NewMailboxMarks(accounts: ["alice": ["INBOX": .init(uidValidity: 7, uidNext: 30), "Junk": .init(uidValidity: 9, uidNext: 2)]])
        let separateReads = Mutex(0)
        func sync(_ pass: CutoverSyncPass) async throws -> CutoverSyncResult { CutoverSyncResult(copied: 0) }
        func verify() async throws -> (passed: Bool, detail: String) { (true, "intact") }
        func verifyAndMark() async throws -> (passed: Bool, detail: String, marks: NewMailboxMarks?) { (true, "intact", Self.verified) }
        func purgeMirrorCopies() async throws -> (removed: Int, left: [String]) { (0, []) }
        func markNewMailboxes() async throws -> NewMailboxMarks {
            separateReads.withLock { $0 += 1 }
            return NewMailboxMarks()
        }
        func copyBackSinceSwitch(marks: NewMailboxMarks, to old: any Cutover.Host) async throws -> Int { marks.folderCount }
    }

    /// The final verify's marks go into the journal with it, and the mark step records them
    /// without logging into any account again (inside the freeze).
    @Test func theMarkStepTakesTheVerifysMarksWithoutReadingTheMailboxesAgain() async throws {
        let journal = ModelJournal()
        let mailboxes = MarkingMailboxes()
        var effects = effects(old: ScriptedHost(name: "old"), new: ScriptedHost(name: "new"))
        effects.mailboxes = mailboxes
        effects.journal = journal
        let verified = try await effects.perform(.verify, token: nil)
        #expect(verified == .done(CutoverResult(detail: "intact", marks: MarkingMailboxes.verified)))
        guard case .done(let verifyResult) = verified else { return }
        try await journal.append(step: .verify, event: .finished(verifyResult), at: 1_800_000_000)

        let marked = try await effects.perform(.markNewMailboxes, token: nil)
        #expect(marked == .done(CutoverResult(detail: "marked 2 folders of 1 accounts (read by the verify)", marks: MarkingMailboxes.verified)))
        #expect(mailboxes.separateReads.withLock { $0 } == 0)
    }
}
