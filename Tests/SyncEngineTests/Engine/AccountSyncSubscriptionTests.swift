import MailModel
import SyncTestSupport
import Testing

@testable import SyncEngine

/// Subscriptions are copied once per run, on the session of the worker that completes the
/// work, with one worker or several.
@Suite struct AccountSyncSubscriptionTests {
    @Test(arguments: [1, 3])
    func subscribedSourceFoldersAreSubscribedOnTheDestinationOnce(foldersInParallel: Int) async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.options.foldersInParallel = foldersInParallel
        fixture.source.addFolder("INBOX.Archive", subscribed: true)
        fixture.source.addFolder("INBOX.Archive.2019", subscribed: true)
        fixture.source.addFolder("INBOX.Drafts", subscribed: false)
        fixture.source.deliver("Subject: one\r\n\r\nbody\r\n", to: "INBOX.Archive")
        let first = try await fixture.sync()
        #expect(first.outcome == .complete)
        #expect(first.subscriptionsAdded == 2)
        #expect(fixture.destination.subscriptionNames() == ["Archive", "Archive/2019"])

        let again = try await fixture.sync()
        #expect(again.subscriptionsAdded == 0, "the plan's listing shows them subscribed")

        // Unsubscribed on the destination meanwhile: the next run subscribes it again.
        // Nothing new to copy, so one worker does it all, and subscribes on its own session.
        fixture.destination.unsubscribe("Archive/2019")
        let sessionsBefore = fixture.destination.sessionsOpened
        let third = try await fixture.sync()
        #expect(third.subscriptionsAdded == 1)
        #expect(fixture.destination.sessionsOpened - sessionsBefore == 1)
        #expect(fixture.destination.subscriptionNames() == ["Archive", "Archive/2019"])
    }

    @Test(arguments: [1, 3])
    func aDryRunCountsTheSubscriptionsWithoutMakingThem(foldersInParallel: Int) async throws {
        var fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.options.foldersInParallel = foldersInParallel
        fixture.source.addFolder("INBOX.Archive", subscribed: true)
        fixture.destination.addFolder("Archive")
        var options = fixture.options
        options.dryRun = true
        let report = try await fixture.sync(options: options)
        #expect(report.subscriptionsAdded == 1)
        #expect(fixture.destination.subscriptionNames().isEmpty)
    }
}
