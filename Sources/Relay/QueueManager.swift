public import BlockingIO
public import Logging
public import MailSpool
public import NIOCore
import NIOPosix
public import ServiceLifecycle
public import SMTPClient

/// Delivers the spool to one next hop: recovery at start, a bounded set of workers that
/// each keep one SMTP session busy, retries with backoff until the maximum lifetime, and a
/// verdict recorded for every recipient. Never sends a bounce: a mirror copy that cannot be
/// delivered is recorded as failed, and that is all.
public final class QueueManager<C: Clock>: Service where C.Duration == Duration {
    public struct Configuration: Sendable {
        public var destination: SMTPClientConfiguration
        /// Concurrent sessions to the next hop (the active set).
        public var concurrency = 4
        public var retry = RetryPolicy()
        /// Called with an entry's ID once an attempt's verdicts are recorded (in the spool, or
        /// kept in memory when it cannot take them), the entry is scheduled or finished and,
        /// after a failed session, the destination paused: the point after which the spool
        /// and the schedule show the attempt. Observers (tests, a dashboard)
        /// wait on it instead of polling the spool; it must not block.
        public var recorded: (@Sendable (QueueID) -> Void)?

        public init(destination: SMTPClientConfiguration) {
            self.destination = destination
        }
    }

    public let configuration: Configuration
    let spool: MailSpool
    let io: BlockingIO
    let wallClock: WallClock<C>
    let logger: Logger
    let eventLoopGroup: any EventLoopGroup
    let scheduler = DeliveryScheduler()
    let statistics = RelayStatistics()
    /// Verdicts the spool could not record yet (disk full): never sent twice meanwhile.
    let unrecorded = UnrecordedVerdicts()
    /// Bytes of entries just committed from memory, for their first attempt.
    let fresh = FreshMessages()

    public init(configuration: Configuration, spool: MailSpool, io: BlockingIO, wallClock: WallClock<C>,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.configuration = configuration
        self.spool = spool
        self.io = io
        self.wallClock = wallClock
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    var clock: C { wallClock.clock }

    /// Hand a newly committed entry to the workers (with its bytes when it was committed from
    /// memory: its first attempt then sends those).
    public func submit(_ message: CommittedMessage) {
        fresh.put(message)
        scheduler.addFresh(message.id)
    }

    /// Delivered, deferred and failed recipient counts since start.
    public var counters: RelayStatistics.Snapshot { statistics.snapshot }

    public func run() async throws {
        let spool = self.spool
        let now = wallClock.now
        let recovery = try await io.run { try spool.recover(now: now) }
        logger.info("spool recovered", metadata: [
            "spool.queued": "\(recovery.entries.count)", "spool.held": "\(recovery.held.count)",
            "spool.quarantined": "\(recovery.quarantined.count)", "spool.removed-temporary": "\(recovery.removedTemporary)",
            "spool.completed": "\(recovery.completed.count)", "spool.torn-records": "\(recovery.tornRecords)",
            "spool.damaged-records": "\(recovery.quarantinedRecords)", "spool.removed-segments": "\(recovery.removedSegments)",
        ])
        for entry in recovery.entries { scheduler.schedule(entry.id, at: entry.nextAttemptAt, now: now) }
        let scheduler = self.scheduler
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.timer() }
                for _ in 0..<max(1, configuration.concurrency) {
                    group.addTask { await self.worker() }
                }
                // Workers return at shutdown; then stop the timer.
                for _ in 0..<max(1, configuration.concurrency) { _ = try await group.next() }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            scheduler.shutdown()
        }
    }

    /// Moves deferred entries to ready when due, retries completions the spool could not
    /// record; wakes at least every second.
    func timer() async throws {
        while true {
            await retryCompletions(now: wallClock.now)
            let now = wallClock.now
            let next = [scheduler.tick(now: now), unrecorded.nextCompletion].compactMap { $0 }.min()
            let wake = min(next ?? now + 1, now + 1)
            try await clock.sleep(until: wallClock.instant(ofUnixTime: wake), tolerance: nil)
        }
    }

    /// One worker: takes an entry, opens a session, and keeps delivering on it while
    /// entries are ready.
    func worker() async {
        while let first = await scheduler.next() {
            var current: QueueID? = first
            do {
                try await SMTPClientConnection.withConnection(
                    configuration.destination, clock: clock, eventLoopGroup: eventLoopGroup, logger: logger
                ) { connection in
                    scheduler.destinationIsUp()
                    while let id = current {
                        current = nil
                        await deliver(id, on: connection)
                        guard connection.isUsable else { return }
                        current = scheduler.nextIfReady()
                    }
                }
            } catch {
                if let id = current { await recordSiteFailure(id, error: error) }
            }
        }
    }
}
