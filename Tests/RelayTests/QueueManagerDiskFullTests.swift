import Foundation
import MailSpool
import MailTestSupport
import Relay
import SMTPClient
import SMTPTestSupport
import Testing

/// The mirror with its spool on a tmpfs that really fills up. A delivery whose completion
/// the disk cannot take must not be sent again; the spool drains by itself, and new mail
/// gets 451 only while there truly is no room.
@Suite(.enabled(if: SmallFileSystem.isAvailable, "needs root to mount a small tmpfs"))
struct QueueManagerDiskFullTests {
    static let recipient = "bob@old.test.mirror.invalid"

    /// Real time: the spool drains through several retries and completions whose number
    /// depends on when the disk has room, which a test clock would have to guess.
    static var fastRetry: RetryPolicy {
        var retry = RetryPolicy()
        retry.minimalBackoff = .milliseconds(200)
        retry.maximalBackoff = .milliseconds(400)
        return retry
    }

    static func body(_ number: Int, lines: Int = 1_200) -> String {
        "Subject: disk full \(number)\r\nMessage-ID: <full\(number)@old.test>\r\n\r\n"
            + String(repeating: String(repeating: "z", count: 78) + "\r\n", count: lines)
    }

    /// Copies taken while the new server is down, each moved to a file of its own by its
    /// first failed attempt; then the disk is filled.
    static func queueThenFill(_ harness: MirrorHarness, _ disk: SmallFileSystem, port: Int, spool: MailSpool, count: Int) async throws {
        for number in 1...count {
            let outcomes = try await harness.send(to: port, recipients: [Self.recipient], body: Self.body(number))
            #expect(outcomes.map(\.disposition) == [.delivered])
        }
        let queue = harness.directory + "/queue"
        #expect(try await harness.eventually {
            (try FileManager.default.contentsOfDirectory(atPath: queue)).filter { $0.hasSuffix(".msg") }.count == count
        })
        disk.fill()
    }

    @Test func aFullSpoolDrainsByItselfAndSendsEachCopyOnce() async throws {
        let disk = try SmallFileSystem(kilobytes: 1_536)
        let harness = MirrorHarness(parent: disk.path)
        harness.reserveSize = 64 << 10
        harness.downstreamPort = try harness.reservePort()
        try await harness.withMirror(retry: Self.fastRetry) { port, spool in
            try await Self.queueThenFill(harness, disk, port: port, spool: spool, count: 3)
            try await MirrorEndToEndTests.withDownstream(harness) { () async throws in
                #expect(try await harness.eventually { try spool.finishedRecords().count == 3 && spool.entries().isEmpty })
                // The delivered copies gave their space back: new mail is accepted again.
                let outcomes = try await harness.send(to: port, recipients: [Self.recipient], body: Self.body(4, lines: 10))
                #expect(outcomes.map(\.disposition) == [.delivered])
                #expect(try await harness.eventually { try spool.finishedRecords().count == 4 })
            }
        }
        let delivered = harness.downstream.committed.map { $0.content.contains("<full") ? $0.content.components(separatedBy: "Message-ID: <")[1].prefix(6) : "" }
        #expect(delivered.sorted() == ["full1@", "full2@", "full3@", "full4@"], "each copy exactly once")
        withExtendedLifetime(disk) {}
    }

    @Test func aCompletionTheDiskCannotTakeIsRetriedNeverDeliveredAgain() async throws {
        let disk = try SmallFileSystem(kilobytes: 1_024)
        let log = RecordingLogHandler()
        let harness = MirrorHarness(parent: disk.path, logger: log.logger)
        harness.reserveSize = 0  // nothing to fall back on: the verdict can only be kept in memory
        harness.downstreamPort = try harness.reservePort()
        try await harness.withMirror(retry: Self.fastRetry) { port, spool in
            try await Self.queueThenFill(harness, disk, port: port, spool: spool, count: 1)
            try await MirrorEndToEndTests.withDownstream(harness) { () async throws in
                #expect(try await harness.eventually { harness.downstream.committed.count == 1 })
                // Several retries of the completion fail while the disk stays full ...
                #expect(try await harness.eventually { log.count("could not record a completion yet") >= 3 })
                #expect(harness.downstream.committed.count == 1, "the delivered copy is not sent again")
                disk.drain()
                // ... and once there is room it is recorded, without another delivery.
                #expect(try await harness.eventually { try spool.finishedRecords().count == 1 && spool.entries().isEmpty })
            }
        }
        #expect(harness.downstream.committed.count == 1)
        #expect(try MailSpool(directory: harness.directory).finishedRecords().first?.recipients.map(\.state) == [.delivered])
        withExtendedLifetime(disk) {}
    }
}
