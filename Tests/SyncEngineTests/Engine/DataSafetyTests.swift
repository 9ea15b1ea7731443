import Foundation
import MailModel
import StateStore
import SyncEngine
import SyncTestSupport
import Testing

/// The data-safety invariants of issue 12, one test per way each was broken.
@Suite struct DataSafetyTests {
    func populate(_ fixture: SyncFixture) {
        fixture.source.addFolder("INBOX.Archive", subscribed: true)
        fixture.source.deliver("Subject: one\r\n\r\nbody one\r\n", flags: [.seen])
        fixture.source.deliver("Subject: two\r\n\r\nbody two\r\n", flags: [.flagged])
        fixture.source.deliver("Subject: three\r\n\r\nbody three\r\n")
        fixture.source.deliver("Subject: old\r\n\r\narchived\r\n", to: "INBOX.Archive", flags: [.seen, .answered])
    }

    func expectSameContent(_ fixture: SyncFixture, on server: InMemoryMailServer? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            SyncFixture.contents(of: server ?? fixture.destination)
                == SyncFixture.contents(of: fixture.source, mapping: SyncFixture.courierToDovecot),
            sourceLocation: sourceLocation)
    }

    func records(_ fixture: SyncFixture, folder: String = "INBOX") async throws -> [MessageRecord] {
        try await SQLiteStateStore(directory: fixture.stateDirectory).messages(account: "alice", sourceFolder: folder)
    }

    // MARK: 1. Complete means present

    @Test func aWipedOrRemovedDestinationFolderIsFilledAgain() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        _ = try await fixture.sync()
        fixture.destination.expungeAll(in: "INBOX") { _ in true }
        fixture.destination.removeFolder("Archive")
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        expectSameContent(fixture)
        #expect(report.folders.first { $0.sourceFolder == "INBOX" }?.restored == 3)
    }

    @Test func aCopyAUserDeletedIsCopiedAgainUnlessAskedToKeepTheDeletion() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        _ = try await fixture.sync()
        let victim = fixture.destination.messages(in: "INBOX")[1].uid
        fixture.destination.expungeAll(in: "INBOX") { $0.uid == victim }

        fixture.options.keepDestinationDeletions = true
        let kept = try await fixture.sync()
        #expect(kept.outcome == .complete)
        #expect(kept.keptDeletions == 1)
        #expect(fixture.destination.messages(in: "INBOX").count == 2)
        // Said again on every run while it lasts, also when nothing else changed.
        let keptAgain = try await fixture.sync()
        #expect(keptAgain.keptDeletions == 1)
        #expect(fixture.destination.messages(in: "INBOX").count == 2)

        fixture.options.keepDestinationDeletions = false
        let restored = try await fixture.sync()
        #expect(restored.outcome == .complete)
        #expect(restored.keptDeletions == 0)
        #expect(restored.folders.first { $0.sourceFolder == "INBOX" }?.restored == 1)
        expectSameContent(fixture)
    }

    @Test func aNewDestinationWithTheOldStateDirectoryGetsEverything() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        _ = try await fixture.sync()
        // Another server whose folders happen to have the same UIDVALIDITYs and an old copy.
        let other = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "", separator: "/"))
        other.deliver("Subject: one\r\n\r\nbody one\r\n", flags: [.seen])
        let report = try await fixture.sync(to: other, named: "memory://other")
        #expect(report.outcome == .complete)
        #expect(report.previousDestination == "memory://test")
        expectSameContent(fixture, on: other)
        // Even under the same name, each folder's state is checked against what is there.
        let third = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "", separator: "/"))
        #expect(try await fixture.sync(to: third, named: "memory://other").outcome == .complete)
        expectSameContent(fixture, on: third)
    }

    // MARK: 3. A user's own work on the new server is never undone

    @Test func aMatchedMessageKeepsTheDestinationsOwnFlags() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.source.deliver("Subject: both\r\n\r\nhere and there\r\n", flags: [.answered])
        fixture.destination.deliver("Subject: both\r\n\r\nhere and there\r\n", flags: [.seen, Flag("$PilotUser")])
        let report = try await fixture.sync()
        #expect(report.folders.first?.matched == 1)
        #expect(fixture.destination.messages(in: "INBOX").map(\.flags) == [[.seen, .answered, Flag("$PilotUser")]])
    }

    // MARK: 4. Deletion only of what mailferry appended

    @Test func deleteExtraneousLeavesAMessageFoundAgainAfterADestinationUIDValidityChange() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        _ = try await fixture.sync()
        // The destination rebuilt its UID database: the copies are found again by their bytes,
        // but nothing proves any of them is the one mailferry appended.
        fixture.destination.renumber("INBOX")
        _ = try await fixture.sync()
        #expect(try await records(fixture).allSatisfy { $0.state == .matched })
        fixture.source.expungeAll(in: "INBOX") { String(decoding: $0.bytes, as: UTF8.self).contains("body one") }
        fixture.options.deleteExtraneous = true
        let report = try await fixture.sync()
        #expect(report.folders.first { $0.sourceFolder == "INBOX" }?.deleted == 0)
        #expect(fixture.destination.messages(in: "INBOX").count == 3)
    }

    // MARK: 5. No silent duplicates

    @Test func withoutUIDPLUSCopiesIntoAnEmptyFolderLearnTheirUIDs() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.destination.supportsUIDPLUS = false
        fixture.source.deliver("Subject: twin\r\n\r\nsame\r\n")
        fixture.source.deliver("Subject: twin\r\n\r\nsame\r\n")
        fixture.source.deliver("Subject: other\r\n\r\nother\r\n")
        #expect(try await fixture.sync().outcome == .complete)
        let uids = try await records(fixture).compactMap(\.destinationUID)
        #expect(uids.count == 3 && Set(uids).count == 3)
        // So a flag change on the second twin reaches the second twin's copy.
        let second = fixture.source.messages(in: "INBOX")[1].uid
        fixture.source.setFlags([.flagged], uid: second, in: "INBOX")
        _ = try await fixture.sync()
        #expect(fixture.destination.messages(in: "INBOX").map(\.flags) == [[], [.flagged], []])
    }

    @Test func aSourceRenumberedAfterAKilledFirstPassIsNotCopiedTwice() async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.options.foldersInParallel = 1
        fixture.options.maxAttempts = 1
        fixture.options.batchMessages = 1
        for index in 0..<4 { fixture.source.deliver("Subject: \(index)\r\n\r\nbody \(index)\r\n") }
        // Killed after two APPENDs: records exist, the folder pair was never saved.
        fixture.destination.inject(.dropAfterStoring(2))
        #expect(try await fixture.sync().outcome != .complete)
        fixture.source.renumber("INBOX")
        fixture.options.maxAttempts = 4
        #expect(try await fixture.sync().outcome == .complete)
        expectSameContent(fixture)
    }

    @Test func aRoleFolderTheSourceGainsLaterNeverPutsAMessageInTwoFolders() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.destination.addFolder("Sent", specialUse: .sent)
        fixture.source.addFolder("INBOX.Sent Items")
        fixture.source.deliver("Subject: sent\r\n\r\nsent by outlook\r\n", to: "INBOX.Sent Items")
        let first = try await fixture.sync()
        #expect(first.folders.first { $0.sourceFolder == "INBOX.Sent Items" }?.destinationFolder == "Sent")
        // A client creates INBOX.Sent: it takes the Sent role, and Sent Items would be mapped
        // to a folder of its own.
        fixture.source.addFolder("INBOX.Sent")
        fixture.source.deliver("Subject: sent\r\n\r\nsent by thunderbird\r\n", to: "INBOX.Sent")
        let second = try await fixture.sync()
        #expect(second.outcome == .partial)
        #expect(second.failedFolders == 1)
        let refused = second.folders.first { $0.sourceFolder == "INBOX.Sent Items" }
        #expect(refused?.error?.contains("--map 'INBOX.Sent Items=Sent'") == true)
        var seen: [MessageFingerprint: String] = [:]
        for folder in fixture.destination.folderNames() {
            for message in fixture.destination.messages(in: folder) {
                let fingerprint = MessageFingerprint.of(message.bytes)
                #expect(seen[fingerprint] == nil, "stored in \(seen[fingerprint] ?? "") and \(folder)")
                seen[fingerprint] = folder
            }
        }
        // Refused on every run while the earlier target holds the copies.
        #expect(try await fixture.sync().failedFolders == 1)
    }

    /// Each message's fingerprint is in at most one destination folder.
    func expectNothingStoredTwice(_ fixture: SyncFixture, sourceLocation: SourceLocation = #_sourceLocation) {
        var seen: [MessageFingerprint: String] = [:]
        for folder in fixture.destination.folderNames() {
            for message in fixture.destination.messages(in: folder) {
                let fingerprint = MessageFingerprint.of(message.bytes)
                #expect(seen[fingerprint] == nil, "stored in \(seen[fingerprint] ?? "") and \(folder)", sourceLocation: sourceLocation)
                seen[fingerprint] = folder
            }
        }
    }

    @Test(arguments: [false, true])
    func aFolderRenamedOnTheSourceIsRefusedUntilTheUserDecides(renameDestination: Bool) async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.source.addFolder("INBOX.Projects")
        fixture.source.deliver("Subject: p1\r\n\r\nproject one\r\n", to: "INBOX.Projects")
        fixture.source.deliver("Subject: p2\r\n\r\nproject two\r\n", to: "INBOX.Projects")
        #expect(try await fixture.sync().outcome == .complete)
        fixture.source.renameFolder("INBOX.Projects", to: "INBOX.Clients")
        fixture.source.deliver("Subject: p3\r\n\r\nafter the rename\r\n", to: "INBOX.Clients")

        let refused = try await fixture.sync()
        #expect(refused.outcome == .partial)
        #expect(refused.failedFolders == 1)
        let error = refused.folders.first { $0.sourceFolder == "INBOX.Clients" }?.error ?? ""
        #expect(error.contains("\"INBOX.Projects\" renamed"))
        #expect(error.contains("Rename \"Projects\" to \"Clients\""))
        #expect(error.contains("--map 'INBOX.Clients=Projects'"))
        #expect(!fixture.destination.folderNames().contains("Clients"))
        expectNothingStoredTwice(fixture)

        // Either way the user chooses, the next run completes with every message once.
        let rules: MappingRules
        if renameDestination {
            fixture.destination.renameFolder("Projects", to: "Clients")
            rules = MappingRules()
        } else {
            rules = MappingRules(renames: ["INBOX.Clients=Projects"])
        }
        let resolved = try await fixture.sync(rules: rules)
        #expect(resolved.outcome == .complete)
        #expect(resolved.failedFolders == 0)
        let target = renameDestination ? "Clients" : "Projects"
        #expect(fixture.destination.messages(in: target).count == 3)
        #expect(Set(fixture.destination.folderNames()) == ["INBOX", target])
        expectNothingStoredTwice(fixture)
    }

    /// Courier takes a folder's UIDVALIDITY from the clock, so folders made in the same second
    /// share it: the rename check must not open every earlier folder for each new one.
    @Test func aFirstRunOfFoldersSharingOneValidityOpensEachSourceFolderOnce() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        let names = (1...5).map { "INBOX.F\($0)" }
        for name in names {
            fixture.source.addFolder(name, validity: 7)
            fixture.source.deliver("Subject: \(name)\r\n\r\nin \(name)\r\n", to: name)
        }
        var options = fixture.options
        options.foldersInParallel = 1
        #expect(try await fixture.sync(options: options).outcome == .complete)
        #expect(fixture.source.opens.filter { names.contains($0.key) } == Dictionary(uniqueKeysWithValues: names.map { ($0, 1) }))
        expectSameContent(fixture)
    }

    @Test func aNewFolderSharingARemovedFoldersValidityButNotItsMessagesIsCopied() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.source.addFolder("INBOX.Old", validity: 7)
        fixture.source.deliver("Subject: old\r\n\r\nold\r\n", to: "INBOX.Old")
        #expect(try await fixture.sync().outcome == .complete)
        // Removed, and another folder made with the same UIDVALIDITY (as a server that takes
        // it from the clock may do), whose messages were never copied.
        fixture.source.removeFolder("INBOX.Old")
        fixture.source.addFolder("INBOX.New", validity: 7)
        fixture.source.deliver("Subject: new\r\n\r\nnew one\r\n", to: "INBOX.New")
        fixture.source.deliver("Subject: new\r\n\r\nnew two\r\n", to: "INBOX.New")
        fixture.source.expungeAll(in: "INBOX.New") { $0.uid == UID(exactly: 1) }
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        #expect(fixture.destination.messages(in: "New").count == 1)
    }

    // MARK: 6. Refused messages are retried

    @Test(arguments: [(false, false), (true, true), (false, true)])
    func aRefusedMessageIsRetriedOnTheNextRun(syncFlags: Bool, condstore: Bool) async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.source.supportsCondstore = condstore
        fixture.options.syncFlags = syncFlags
        populate(fixture)
        fixture.source.deliver(Array(repeating: UInt8(ascii: "x"), count: 400), to: "INBOX")
        fixture.destination.quotaBytes = 300
        let first = try await fixture.sync()
        #expect(first.outcome == .partial)
        #expect(first.failed == 1)
        fixture.destination.quotaBytes = nil
        let second = try await fixture.sync()
        #expect(second.outcome == .complete)
        #expect(second.copied == 1)
        expectSameContent(fixture)
    }

    // MARK: 9, 10. Names; the summary tells the truth

    @Test func aNameTheDestinationCannotHoldRefusesThatFolderOnly() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        populate(fixture)
        fixture.source.addFolder("INBOX.x/y")
        fixture.source.deliver("Subject: odd\r\n\r\nodd\r\n", to: "INBOX.x/y")
        let report = try await fixture.sync()
        #expect(report.outcome == .partial)
        #expect(report.failedFolders == 1)
        #expect(report.folders.first { $0.sourceFolder == "INBOX.x/y" }?.error?.contains("cannot be created") == true)
        #expect(fixture.destination.messages(in: "INBOX").count == 3)
        #expect(fixture.destination.messages(in: "Archive").count == 1)
    }
}
