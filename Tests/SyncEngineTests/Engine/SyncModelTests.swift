import Foundation
import MailModel
import MailTestSupport
import StateStore
import SyncEngine
import SyncTestSupport
import Testing

/// A randomized model test of the data-safety invariants: random source changes (new mail,
/// deletes, flag changes, UIDVALIDITY changes), destination users' actions (keywords of their
/// own, deletes), runs killed in the middle of an APPEND or losing their connection, APPENDs
/// the server commits late, wiped and removed destination folders, renumbered destination
/// folders and lost state directories, with runs in between. After a final run that says
/// complete: every source message is in its destination folder, no message is stored twice,
/// and no keyword a user set on the destination is lost.
///
/// Seeded and reproducible: `MAILFERRY_MODEL_SEED` replays a seed (each run prints its own),
/// `MAILFERRY_MODEL_STEPS` sets the number of steps (`scripts/bench chaos` runs thousands).
@Suite struct SyncModelTests {
    static let folders = ["INBOX", "INBOX.Archive", "INBOX.Work"]

    @Test func randomHistoriesEndCompleteWithEverythingOnceAndUserKeywordsKept() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["MAILFERRY_MODEL_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        let steps = environment["MAILFERRY_MODEL_STEPS"].flatMap(Int.init) ?? 300
        print("SyncModelTests seed \(seed) steps \(steps) (MAILFERRY_MODEL_SEED=\(seed) replays it)")
        var model = SyncModel(seed: seed)
        defer { model.fixture.cleanUp() }
        let deadline = ContinuousClock.now + .seconds(max(120, steps / 5))
        for step in 0..<steps {
            guard ContinuousClock.now < deadline else {
                Issue.record("seed \(seed): stopped at step \(step) of \(steps): out of time")
                break
            }
            try await model.step()
        }
        try await model.finish(seed: seed)
    }
}

/// The world of one model run and what it must end up as.
struct SyncModel {
    var random: SeededRandom
    var fixture = SyncFixture()
    var nextMessage = 0
    /// Keywords users set on destination copies, by the copy's fingerprint.
    var userKeywords: [MessageFingerprint: Set<Flag>] = [:]
    var history: [String] = []

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
        fixture.options.foldersInParallel = 2
        for folder in SyncModelTests.folders where folder != "INBOX" { fixture.source.addFolder(folder, subscribed: true) }
        fixture.source.supportsCondstore = random.next(below: 2) == 0
        fixture.destination.supportsUIDPLUS = random.next(below: 3) != 0
    }

    static let sourceFlags: [Flag] = [.seen, .answered, .flagged, .draft, Flag("$Label1"), Flag("NonJunk")]

    mutating func pick<T>(_ values: [T]) -> T? { values.isEmpty ? nil : values[random.next(below: values.count)] }

    mutating func randomFlags() -> Set<Flag> {
        Set(Self.sourceFlags.filter { _ in random.next(below: 3) == 0 })
    }

    mutating func step() async throws {
        let source = fixture.source
        let destination = fixture.destination
        switch random.next(below: 20) {
        case 0...4:
            nextMessage += 1
            let folder = pick(SyncModelTests.folders)!
            source.deliver("Subject: m\(nextMessage)\r\n\r\nbody \(nextMessage) \(random.next(below: 1000))\r\n", to: folder, flags: randomFlags())
            history.append("deliver to \(folder)")
        case 5:
            let folder = pick(SyncModelTests.folders)!
            if let victim = pick(source.messages(in: folder)) {
                source.expungeAll(in: folder) { $0.uid == victim.uid }
                history.append("expunge on source \(folder)")
            }
        case 6, 7:
            let folder = pick(SyncModelTests.folders)!
            if let message = pick(source.messages(in: folder)) {
                source.setFlags(randomFlags(), uid: message.uid, in: folder)
                history.append("flags on source \(folder)")
            }
        case 8:
            let folder = pick(destination.folderNames())!
            if let message = pick(destination.messages(in: folder)) {
                let keyword = Flag("$User\(random.next(below: 4))")
                destination.setFlags(message.flags.union([keyword]), uid: message.uid, in: folder)
                userKeywords[.of(message.bytes), default: []].insert(keyword)
                history.append("user keyword on \(folder)")
            }
        case 9:
            let folder = pick(destination.folderNames())!
            if let message = pick(destination.messages(in: folder)) {
                destination.expungeAll(in: folder) { $0.uid == message.uid }
                userKeywords[.of(message.bytes)] = nil
                history.append("user deletes on \(folder)")
            }
        case 10:
            // A run killed after some APPENDs reached the server.
            destination.inject(.dropAfterStoring(1 + random.next(below: 3)))
            try await run(attempts: 1)
            history.append("run killed in APPEND")
        case 11:
            destination.inject(.commitLate(opens: 1 + random.next(below: 2)))
            try await run(attempts: 1)
            history.append("run whose APPEND commits late")
        case 12:
            (random.next(below: 2) == 0 ? source : destination).inject(.dropOnOpen)
            try await run(attempts: 1 + random.next(below: 3))
            history.append("run with a dropped connection")
        case 13:
            let folder = pick(destination.folderNames().filter { $0 != "INBOX" }) ?? "INBOX"
            if random.next(below: 2) == 0 || folder == "INBOX" {
                forget(destination.messages(in: folder))
                destination.expungeAll(in: folder) { _ in true }
                history.append("destination \(folder) wiped")
            } else {
                forget(destination.messages(in: folder))
                destination.removeFolder(folder)
                history.append("destination \(folder) removed")
            }
        case 14:
            // A state directory is lost long after a dead session's APPEND was committed: with
            // the journal gone, an APPEND still in flight could not be known by anyone.
            destination.commitLateAppendsNow()
            fixture.cleanUp()
            history.append("state directory lost")
        case 15:
            let folder = pick(SyncModelTests.folders)!
            source.renumber(folder)
            history.append("source \(folder) renumbered")
        case 16:
            if let folder = pick(destination.folderNames()) {
                destination.renumber(folder)
                history.append("destination \(folder) renumbered")
            }
        default:
            try await run(attempts: 4)
            history.append("run")
        }
    }

    mutating func forget(_ messages: [InMemoryMailServer.Message]) {
        for message in messages { userKeywords[.of(message.bytes)] = nil }
    }

    /// One run; whatever it ends with, no message may be stored twice afterwards.
    func run(attempts: Int) async throws {
        var options = fixture.options
        options.maxAttempts = attempts
        let report = try await fixture.sync(options: options)
        var seen: [MessageFingerprint: String] = [:]
        for folder in fixture.destination.folderNames() {
            for message in fixture.destination.messages(in: folder) {
                let fingerprint = MessageFingerprint.of(message.bytes)
                if let other = seen[fingerprint] {
                    let runSummary = report.folders.map { "\($0.sourceFolder): copied \($0.copied) matched \($0.matched) error \($0.error ?? "-")" }
                    Issue.record("after step \(history.count): stored in \(other) and \(folder); steps: \(history.suffix(15).joined(separator: "; ")); run: \(runSummary)")
                    return
                }
                seen[fingerprint] = folder
            }
        }
    }

    func finish(seed: UInt64) async throws {
        let report = try await fixture.sync()
        let folderSummary = report.folders.map {
            "\($0.sourceFolder): copied \($0.copied) matched \($0.matched) recovered \($0.recovered) restored \($0.restored)"
        }
        let context = "seed \(seed), last steps: \(history.suffix(12).joined(separator: "; ")); final run: \(folderSummary)"
        #expect(report.outcome == .complete, "\(context): \(report.error ?? "") \(report.folders.compactMap(\.error))")
        var stored: [MessageFingerprint: [String]] = [:]
        var flags: [MessageFingerprint: Set<Flag>] = [:]
        for folder in fixture.destination.folderNames() {
            for message in fixture.destination.messages(in: folder) {
                stored[.of(message.bytes), default: []].append(folder)
                flags[.of(message.bytes)] = message.flags
            }
        }
        for folder in SyncModelTests.folders {
            let target = SyncFixture.courierToDovecot(folder)
            for message in fixture.source.messages(in: folder) {
                let fingerprint = MessageFingerprint.of(message.bytes)
                #expect(stored[fingerprint]?.contains(target) == true, "\(context): a message of \(folder) is missing")
                #expect(
                    flags[fingerprint].map { $0.isSuperset(of: message.flags) } ?? true,
                    "\(context): source flags \(message.flags) not on the copy (\(flags[fingerprint] ?? []))")
            }
        }
        for (fingerprint, folders) in stored where folders.count > 1 {
            Issue.record("\(context): \(fingerprint.hex.prefix(12)) stored \(folders.count) times, in \(folders)")
        }
        for (fingerprint, keywords) in userKeywords where stored[fingerprint] != nil {
            #expect(flags[fingerprint]!.isSuperset(of: keywords), "\(context): a user's keywords \(keywords) were lost")
        }
    }
}

