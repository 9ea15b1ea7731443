import MailSpool
import MailTestSupport
import Testing

/// The harness the relay tests stand on: it must end what it started whatever the body
/// does, and its waits must wake on the mirror's own events.
@Suite struct MirrorHarnessTests {
    struct BodyFailed: Error {}

    /// A failing check inside `withMirror` must fail the test, not hang it: the mirror is
    /// shut down, its port closed, and the body's error comes out.
    @Test(.timeLimit(.minutes(1))) func aBodyThatThrowsStopsTheMirrorAndRethrows() async throws {
        let harness = MirrorHarness()
        var mirrorPort = 0
        do {
            try await harness.withMirror { (port: Int, _: MailSpool) async throws in
                mirrorPort = port
                throw BodyFailed()
            }
            Issue.record("withMirror returned normally although its body threw")
        } catch is BodyFailed {
            // The body's own error, and nothing else.
        }
        let port = mirrorPort
        try #require(port != 0)
        await #expect(throws: (any Error).self, "nothing listens on the mirror's port any more") {
            _ = try await harness.send(to: port, recipients: ["bob@old.test.mirror.invalid"])
        }
    }

    /// `eventually` returns on the queue manager's recorded verdict, long before its bound:
    /// the copy's finished record is there when the waiter wakes.
    @Test func eventuallyWakesOnTheRecordedVerdict() async throws {
        let harness = MirrorHarness()
        try await MirrorEndToEndTests.withDownstream(harness) { () async throws in
            try await harness.withMirror { (port: Int, spool: MailSpool) async throws in
                let before = harness.changes.generation
                _ = try await harness.send(to: port, recipients: ["bob@old.test.mirror.invalid"])
                let started = ContinuousClock.now
                #expect(try await harness.eventually(timeout: .seconds(120)) { try spool.finishedRecords().count == 1 })
                #expect(ContinuousClock.now - started < .seconds(60), "woken by an event, not by the bound")
                #expect(harness.changes.generation >= before + 2, "the downstream's commit and the recorded verdict")
            }
        }
    }
}
