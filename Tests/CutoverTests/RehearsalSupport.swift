import Cutover
import Foundation
import MailTestSupport
import Migration
import Synchronization

/// The rehearsal's stand-in for `sync` and `verify` between two private Postfix stores:
/// each message file of the old store is copied once (by its unique name) into the same
/// user's new store. The sync engine's own paths have their own tests; this one proves the
/// orchestration around them (what is copied when, what arrives where).
struct MaildirCopyMailboxes: CutoverMailboxes {
    let oldRoot: String
    let newRoot: String
    let users: [String]

    func files(_ root: String, _ user: String) -> [String: String] {
        var result: [String: String] = [:]
        for sub in ["new", "cur"] {
            let directory = "\(root)/\(user)/\(sub)"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] { result[name] = "\(directory)/\(name)" }
        }
        return result
    }

    func sync(_ pass: CutoverSyncPass) async throws -> CutoverSyncResult {
        var copied = 0
        for user in users {
            let target = "\(newRoot)/\(user)"
            for sub in ["", "/new", "/cur", "/tmp"] where !FileManager.default.fileExists(atPath: target + sub) {
                // virtual(8) delivers as nobody: the directories it writes into are nobody's.
                try FileManager.default.createDirectory(atPath: target + sub, withIntermediateDirectories: true,
                                                        attributes: [.ownerAccountID: 65534, .groupOwnerAccountID: 65534])
            }
            let present = files(newRoot, user)
            for (name, path) in files(oldRoot, user) where present[name] == nil {
                try FileManager.default.copyItem(atPath: path, toPath: "\(target)/tmp/\(name)")
                try FileManager.default.moveItem(atPath: "\(target)/tmp/\(name)", toPath: "\(target)/new/\(name)")
                copied += 1
            }
        }
        return CutoverSyncResult(copied: copied)
    }

    func verify() async throws -> (passed: Bool, detail: String) {
        var missing: [String] = []
        for user in users {
            let present = files(newRoot, user)
            missing += files(oldRoot, user).keys.filter { present[$0] == nil }.map { "\(user)/\($0)" }
        }
        return (missing.isEmpty, missing.isEmpty ? "every old message in the new store" : "missing: \(missing.sorted().joined(separator: ", "))")
    }

    func purgeMirrorCopies() async throws -> (removed: Int, left: [String]) { (0, []) }

    func markNewMailboxes() async throws -> NewMailboxMarks { NewMailboxMarks() }

    /// Every new-store file whose name the old store lacks (sync copies by name, so those
    /// arrived on the new side) goes back through the real ``MaildirDrop``.
    func copyBackSinceSwitch(marks: NewMailboxMarks, to old: any Cutover.Host) async throws -> Int {
        let drop = MaildirDrop(host: old)
        var written = 0
        for user in users {
            // A real old store has every account's Maildir; virtual(8) makes one at its first delivery.
            for sub in ["", "/new", "/cur", "/tmp"] where !FileManager.default.fileExists(atPath: "\(oldRoot)/\(user)\(sub)") {
                try FileManager.default.createDirectory(atPath: "\(oldRoot)/\(user)\(sub)", withIntermediateDirectories: true,
                                                        attributes: [.ownerAccountID: 65534, .groupOwnerAccountID: 65534])
            }
            let present = files(oldRoot, user)
            for (name, path) in files(newRoot, user) where present[name] == nil {
                let base = String(name.prefix { $0 != ":" }).filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") }
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                let outcome = try await drop.put(bytes, folder: "\(oldRoot)/\(user)", baseName: MaildirDrop.baseName(date: 1_800_000_000, key: base, size: bytes.count),
                                                 flags: "", date: 1_800_000_000)
                if outcome == .written { written += 1 }
            }
        }
        return written
    }
}

/// The model of kill -9 for an in-process runner: once `kill` fires, the effect that was
/// running has done its work but nothing more of that "process" reaches the journal.
struct Killed: Error {}

/// Steps whose effect is followed by death, the first time each runs (shared across
/// processes: each kill happens once).
final class KillPlan: Sendable {
    let steps: Mutex<Set<CutoverStep>>

    init(_ steps: Set<CutoverStep>) { self.steps = Mutex(steps) }
}

final class ProcessDeath: Sendable {
    let dead = Mutex(false)
    let killAfter: KillPlan

    init(killAfter: KillPlan) { self.killAfter = killAfter }

    func checkAlive() throws { if dead.withLock({ $0 }) { throw Killed() } }
}

struct KillableJournal: CutoverJournal {
    let inner: any CutoverJournal
    let death: ProcessDeath

    func records() async throws -> [CutoverRecord] { try await inner.records() }

    func append(step: CutoverStep?, event: CutoverEvent, at: Double) async throws -> CutoverRecord {
        try death.checkAlive()
        return try await inner.append(step: step, event: event, at: at)
    }
}

struct KillableEffects: CutoverEffects {
    let inner: any CutoverEffects
    let death: ProcessDeath

    func perform(_ step: CutoverStep, token: String?) async throws -> CutoverStepOutcome {
        try death.checkAlive()
        let outcome = try await inner.perform(step, token: token)
        if death.killAfter.steps.withLock({ $0.remove(step) != nil }) {
            death.dead.withLock { $0 = true }
            throw Killed()
        }
        return outcome
    }

    func happened(_ step: CutoverStep, token: String) async throws -> Bool { try await inner.happened(step, token: token) }
}

/// Lets the mail flow finish what it was allowed before the proof reads the logs, so the
/// proof's count is exactly the mail sent before it.
struct IdleFlowBeforeProof: CutoverEffects {
    let inner: any CutoverEffects
    let flow: MailFlow
    let old: PrivatePostfix

    func perform(_ step: CutoverStep, token: String?) async throws -> CutoverStepOutcome {
        if step == .prove { try await flow.waitUntil("the mail flow to send what it was allowed", timeout: .seconds(120)) { $0.idle } }
        return try await inner.perform(step, token: token)
    }

    func happened(_ step: CutoverStep, token: String) async throws -> Bool { try await inner.happened(step, token: token) }
}

/// Mail sent to the old server by a task of the test (``run(_:recipients:)``), paced by the
/// cutover itself: each `allow(n)` lets n more messages go,
/// so mail arrives during every step (the hold and the switch included) without timers.
/// Records every reply and when it came.
final class MailFlow: Sendable {
    struct Sent: Sendable {
        var subject: String
        var reply: String
        /// When the reply came.
        var at: Double
        /// When the session began: the old server logged the message between the two.
        var startedAt: Double
    }

    let sent = Mutex<[Sent]>([])
    /// Signalled after each reply recorded in ``sent``.
    let changes = ChangeSignal()
    /// Permits given so far: the flow is idle once as many messages were answered.
    private let allowed = Mutex(0)
    private let permits: AsyncStream<Void>
    private let permit: AsyncStream<Void>.Continuation

    init() {
        (permits, permit) = AsyncStream.makeStream()
    }

    /// The sender: sends to `recipients` in turn, one message per permit, until ``stop()``.
    func run(_ old: PrivatePostfix, recipients: [String]) async {
        var index = 0
        for await _ in permits {
            let subject = "flow-\(index)"
            let startedAt = Date().timeIntervalSince1970
            let reply = (try? await old.sendSMTP(to: recipients[index % recipients.count], subject: subject)) ?? "no reply"
            sent.withLock { $0.append(Sent(subject: subject, reply: reply, at: Date().timeIntervalSince1970, startedAt: startedAt)) }
            changes.signal()
            index += 1
        }
    }

    func allow(_ count: Int) {
        allowed.withLock { $0 += count }
        for _ in 0..<count { permit.yield() }
    }

    /// Every message allowed so far was sent and answered.
    var idle: Bool { count >= allowed.withLock { $0 } }

    /// Ends the sender once the permits given so far are used.
    func stop() {
        permit.finish()
    }

    var count: Int { sent.withLock { $0.count } }

    /// Returns once `condition` holds for the flow, checked at the start and after each reply;
    /// throws at `timeout`, a bound only a failure reaches.
    func waitUntil(_ what: String, timeout: Duration, _ condition: (MailFlow) -> Bool) async throws {
        _ = try await changes.until(what, timeout: timeout) { condition(self) ? true : nil }
    }
}

extension PrivatePostfix {
    /// The Subject of every message file in `user`'s store.
    func subjects(of user: String) -> [String] {
        delivered(to: user).compactMap { name in
            guard let text = try? String(contentsOfFile: "\(mailRoot)/\(user)/\(name)", encoding: .utf8) else { return nil }
            return text.split(separator: "\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst("Subject: ".count)) }
        }
    }
}
