import Foundation
import MailModel
import StateStore
import SyncEngine
import SyncTestSupport
import Testing

@Suite struct AccountSyncTests {
    /// A small Courier mailbox with the shapes that break tools: nested and non-ASCII folders,
    /// keywords, no Message-ID, duplicate Message-IDs with different bodies, identical twins.
    func populate(_ fixture: SyncFixture) {
        let source = fixture.source
        source.addFolder("INBOX.Archive", subscribed: true)
        source.addFolder("INBOX.Archive.2019", subscribed: true)
        source.addFolder("INBOX.Entwürfe", subscribed: false)
        source.addFolder("INBOX.Sent", subscribed: true)
        source.deliver("Message-ID: <a@x>\r\nSubject: one\r\n\r\nbody one\r\n", flags: [.seen])
        source.deliver("Message-ID: <dup@x>\r\nSubject: two\r\n\r\nfirst body\r\n", flags: [.seen, Flag("$Label1")])
        source.deliver("Message-ID: <dup@x>\r\nSubject: two\r\n\r\nsecond body\r\n", flags: [.flagged])
        source.deliver("Subject: no id\n\nbare LF body\n", to: "INBOX.Archive", flags: [.seen, .answered])
        source.deliver("Subject: twin\r\n\r\nsame\r\n", to: "INBOX.Archive.2019")
        source.deliver("Subject: twin\r\n\r\nsame\r\n", to: "INBOX.Archive.2019")
        source.deliver("", to: "INBOX.Entwürfe", flags: [.draft])
        source.deliver("Subject: sent\r\n\r\nsent\r\n", to: "INBOX.Sent", flags: [.seen, Flag("NonJunk")], date: 1_500_000_000)
    }

    func expectSameContent(_ fixture: SyncFixture, ignoring: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            SyncFixture.contents(of: fixture.destination).filter { !ignoring.contains($0.key) }
                == SyncFixture.contents(of: fixture.source, mapping: SyncFixture.courierToDovecot).filter { !ignoring.contains($0.key) },
            sourceLocation: sourceLocation)
    }

    @Test func copiesEverythingExactly() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        #expect(report.copied == 8)
        expectSameContent(fixture)
        #expect(fixture.destination.subscriptionNames() == ["Archive", "Archive/2019", "Sent"])
        #expect(report.folders.allSatisfy { $0.seconds > 0 }, "every folder reports the time it took")
    }

    @Test func rerunCopiesNothingAndCarriesChangesOver() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        _ = try await fixture.sync()
        let appendsAfterFirst = fixture.destination.appendCount

        let again = try await fixture.sync()
        #expect(again.copied == 0)
        #expect(again.outcome == .complete)
        #expect(fixture.destination.appendCount == appendsAfterFirst)

        fixture.source.deliver("Subject: new\r\n\r\nnew\r\n", to: "INBOX.Archive")
        let inboxFirst = fixture.source.messages(in: "INBOX")[0].uid
        fixture.source.setFlags([.seen, .flagged, Flag("$Work")], uid: inboxFirst, in: "INBOX")
        let third = try await fixture.sync()
        #expect(third.copied == 1)
        #expect(third.folders.first { $0.sourceFolder == "INBOX" }?.flagsUpdated == 1)
        expectSameContent(fixture)
    }

    @Test func destinationOnlyFlagChangesSurvive() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        _ = try await fixture.sync()
        let copy = fixture.destination.messages(in: "INBOX")[0]
        fixture.destination.setFlags(copy.flags.union([Flag("$UserSetOnNew")]), uid: copy.uid, in: "INBOX")
        let original = fixture.source.messages(in: "INBOX")[0]
        fixture.source.setFlags(original.flags.union([.answered]), uid: original.uid, in: "INBOX")
        _ = try await fixture.sync()
        #expect(fixture.destination.messages(in: "INBOX")[0].flags == [.seen, .answered, Flag("$UserSetOnNew")])
    }

    @Test(arguments: 1...6)
    func connectionLostAfterAnAppendReachedTheServerNeverDuplicates(after appends: Int) async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        fixture.options.maxAttempts = 1  // the first run gives up; the second run must reconcile
        fixture.options.foldersInParallel = 1
        fixture.destination.inject(.dropAfterStoring(appends))
        let first = try await fixture.sync()
        #expect(first.outcome != .complete)
        fixture.options.maxAttempts = 4
        let second = try await fixture.sync()
        #expect(second.outcome == .complete)
        expectSameContent(fixture)
        // Every message the server stored in the batch whose answer was lost is found again.
        #expect(second.folders.reduce(0) { $0 + $1.recovered } >= 1)
        #expect(second.copied + second.folders.reduce(0) { $0 + $1.recovered } + first.copied == 8)
    }

    @Test func anAppendTheServerCommitsAfterTheCrashIsFoundNotCopiedAgain() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        fixture.options.maxAttempts = 1
        fixture.options.foldersInParallel = 1
        // The batch becomes visible only on the second open after the crash: the first look
        // finds nothing, and only watching the folder settle saves it from being copied twice.
        fixture.destination.inject(.commitLate(opens: 2))
        _ = try await fixture.sync()
        fixture.options.maxAttempts = 4
        let second = try await fixture.sync()
        #expect(second.outcome == .complete)
        #expect(second.folders.reduce(0) { $0 + $1.recovered } >= 1)
        expectSameContent(fixture)
    }

    @Test func retriesWithinOneRunAfterADroppedConnection() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        fixture.destination.inject(.dropAfterStoring(2))
        fixture.source.inject(.dropOnOpen)
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        expectSameContent(fixture)
    }

    @Test func withoutUIDPLUSCrashRecoveryUsesFingerprints() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        fixture.destination.supportsUIDPLUS = false
        fixture.options.maxAttempts = 1
        fixture.options.foldersInParallel = 1
        fixture.destination.inject(.dropAfterStoring(3))
        _ = try await fixture.sync()
        fixture.options.maxAttempts = 4
        let second = try await fixture.sync()
        #expect(second.outcome == .complete)
        expectSameContent(fixture)
        // Flags still propagate without UIDPLUS: the UIDs were found by fingerprint.
        let original = fixture.source.messages(in: "INBOX.Sent")[0]
        fixture.source.setFlags([.deleted], uid: original.uid, in: "INBOX.Sent")
        _ = try await fixture.sync()
        #expect(fixture.destination.messages(in: "Sent")[0].flags == [.deleted])
    }

    @Test func sourceUIDValidityChangeReidentifiesInsteadOfRecopying() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        _ = try await fixture.sync()
        let appends = fixture.destination.appendCount
        fixture.source.renumber("INBOX.Archive.2019")
        fixture.source.renumber("INBOX")
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        #expect(fixture.destination.appendCount == appends)
        // And a flag change after the renumbering still reaches the copy.
        let message = fixture.source.messages(in: "INBOX")[2]
        fixture.source.setFlags([.seen], uid: message.uid, in: "INBOX")
        _ = try await fixture.sync()
        expectSameContent(fixture)
    }

    @Test func messagesAlreadyOnTheDestinationAreMatchedNotDuplicated() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        // One of the two identical twins is already there (an earlier tool's copy), with other flags.
        fixture.destination.addFolder("Archive")
        fixture.destination.addFolder("Archive/2019")
        fixture.destination.deliver("Subject: twin\r\n\r\nsame\r\n", to: "Archive/2019", flags: [.seen])
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        #expect(report.folders.first { $0.sourceFolder == "INBOX.Archive.2019" }?.matched == 1)
        expectSameContent(fixture, ignoring: ["Archive/2019"])
        // The copy that was there keeps its own \Seen (the conflict policy: flags only the
        // destination has are a user's work); the second twin is copied.
        #expect(fixture.destination.messages(in: "Archive/2019").map(\.flags) == [[.seen], []])
    }

    @Test func overQuotaIsPartialWithTheServersWords() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        fixture.destination.quotaBytes = 120
        let report = try await fixture.sync()
        #expect(report.outcome == .partial)
        let failures = report.folders.flatMap(\.failures)
        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { $0.reason.contains("OVERQUOTA") })
        #expect(failures.contains { $0.subject != nil })
        // The first run listed without sizes: a failure's size is the fetched body's.
        #expect(fixture.source.sizelessListings > 0)
        #expect(failures.allSatisfy { $0.size > 0 })
        // Quota raised: the next run copies the rest, nothing twice.
        fixture.destination.quotaBytes = nil
        let again = try await fixture.sync()
        #expect(again.outcome == .complete)
        expectSameContent(fixture)
    }

    @Test func onlyAFirstCopyIntoAnEmptyFolderListsWithoutSizes() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        fixture.destination.addFolder("Sent")
        fixture.destination.deliver("Subject: already there\r\n\r\nx\r\n", to: "Sent")
        fixture.options.batchBytes = 40  // several batches, sized by what was fetched so far
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        expectSameContent(fixture, ignoring: ["Sent"])
        #expect(fixture.destination.messages(in: "Sent").count == 2)
        // INBOX, Archive, Archive.2019 and Entwürfe; Sent holds a message that may match one
        // to copy, which needs the source's sizes.
        #expect(fixture.source.sizelessListings == 4)
        fixture.source.deliver("Subject: new\r\n\r\nnew\r\n", flags: [])
        let before = fixture.source.sizelessListings
        _ = try await fixture.sync()
        #expect(fixture.source.sizelessListings == before, "a re-run lists with sizes")
        expectSameContent(fixture, ignoring: ["Sent"])
    }

    @Test func aCompleteRunLeavesNoMessageUnconfirmedInTheState() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        for index in 0..<7 { fixture.source.deliver("Subject: more \(index)\r\n\r\nbody \(index)\r\n") }
        fixture.options.batchMessages = 2  // confirmations ride on the next batch's journal write
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        let store = try SQLiteStateStore(directory: fixture.stateDirectory)
        var records: [MessageRecord] = []
        for folder in ["INBOX", "INBOX.Archive", "INBOX.Archive.2019", "INBOX.Entwürfe", "INBOX.Sent"] {
            records += try await store.messages(account: "alice", sourceFolder: folder)
        }
        #expect(records.count == 15)
        #expect(records.allSatisfy { $0.state == .copied && $0.destinationUID != nil })
        let again = try await fixture.sync()
        #expect(again.folders.allSatisfy { $0.recovered == 0 } && again.copied == 0)
    }

    /// Runs jobs on a serial queue and counts them.
    final class CountingExecutor: TaskExecutor, @unchecked Sendable {
        let queue = DispatchQueue(label: "counting-executor")
        private let lock = NSLock()
        private var count = 0
        var jobs: Int { lock.withLock { count } }
        func enqueue(_ job: consuming ExecutorJob) {
            lock.withLock { count += 1 }
            let job = UnownedJob(job)
            queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    @Test func foldersAreWorkedOnTheGivenExecutors() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        let executors = [CountingExecutor(), CountingExecutor()]
        let report = try await fixture.sync(executors: executors)
        #expect(report.outcome == .complete)
        expectSameContent(fixture)
        #expect(executors.allSatisfy { $0.jobs > 0 }, "each of the two workers ran on its own executor")
    }

    @Test func refusedKeywordsAreReportedNotFatal() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        fixture.destination.acceptsNewKeywords = false
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        let refused = report.folders.flatMap(\.refusedKeywords).map(\.keyword)
        #expect(Set(refused) == [Flag("$Label1"), Flag("NonJunk")])
    }

    @Test func dryRunWritesNothing() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        fixture.options.dryRun = true
        let report = try await fixture.sync()
        #expect(report.copied == 8)
        #expect(fixture.destination.folderNames() == ["INBOX"])
        #expect(fixture.destination.appendCount == 0)
        #expect(fixture.destination.subscriptionNames().isEmpty)
    }

    @Test func deleteExtraneousRemovesOnlyOwnCopies() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        _ = try await fixture.sync()
        fixture.destination.deliver("Subject: delivered on new\r\n\r\nx\r\n", to: "INBOX")
        fixture.source.expungeAll(in: "INBOX") { String(decoding: $0.bytes, as: UTF8.self).contains("body one") }
        fixture.options.deleteExtraneous = true
        fixture.options.dryRun = true
        let plan = try await fixture.sync()
        #expect(plan.folders.first { $0.sourceFolder == "INBOX" }?.deleted == 1)
        #expect(fixture.destination.messages(in: "INBOX").count == 4)
        fixture.options.dryRun = false
        let report = try await fixture.sync()
        #expect(report.folders.first { $0.sourceFolder == "INBOX" }?.deleted == 1)
        let left = fixture.destination.messages(in: "INBOX").map { String(decoding: $0.bytes, as: UTF8.self) }
        #expect(left.count == 3)
        #expect(left.contains { $0.contains("delivered on new") })
        #expect(!left.contains { $0.contains("body one") })
    }

    @Test func largeMessagesAreStagedOnDiskAndArriveIntact() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.options.memoryThreshold = 1024
        let big = Array((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 13) })
        fixture.source.deliver(big, to: "INBOX")
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        #expect(fixture.destination.messages(in: "INBOX").first?.bytes == big)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: fixture.options.temporaryDirectory)) ?? []
        #expect(leftovers.isEmpty)
    }

    @Test func authenticationFailureStopsTheAccountWithItsKind() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.destination.inject(.refuseLogin)
        let report = try await fixture.sync()
        #expect(report.outcome == .authenticationFailed)
        #expect(report.error?.contains("authentication") == true)
    }

    @Test func aCollisionRefusesItsFoldersAndTheRestIsCopied() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        let report = try await fixture.sync(rules: MappingRules(renames: ["INBOX.Entwürfe=Archive"]))
        #expect(report.outcome == .partial)
        #expect(report.failedFolders == 2)
        let refused = report.folders.filter { $0.error != nil }
        #expect(Set(refused.map(\.sourceFolder)) == ["INBOX.Archive", "INBOX.Entwürfe"])
        #expect(refused.allSatisfy { $0.error!.contains("--map") })
        #expect(fixture.destination.folderNames() == ["Archive/2019", "INBOX", "Sent"])
        #expect(fixture.destination.messages(in: "INBOX").count == 3)
    }

    @Test func aMalformedRuleStillStopsTheRunBeforeAnythingIsWritten() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        let report = try await fixture.sync(rules: MappingRules(renames: ["no-equals-sign"]))
        #expect(report.outcome == .planRefused)
        #expect(fixture.destination.folderNames() == ["INBOX"])
    }
}
