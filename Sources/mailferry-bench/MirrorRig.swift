import Foundation
import Logging
import MailSpool
import Relay
import SMTPClient
import SMTPCodec
import SMTPServer
import ServiceLifecycle

/// `mailferry mirror` in-process for the benchmark: the production wiring (spool with fsync,
/// queue manager, mirror sink, SMTP server) relaying to smtp-sink.
struct MirrorRig {
    let spool: MailSpool
    let sinkPort: Int

    init(directory: String, sinkPort: Int) throws {
        spool = try MailSpool(directory: directory)
        self.sinkPort = sinkPort
    }

    func run(_ body: (Int) async throws -> Void) async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let wallClock = WallClock(clock: ContinuousClock())
        var queueConfiguration = QueueManager<ContinuousClock>.Configuration(
            destination: SMTPClientConfiguration(host: "127.0.0.1", port: sinkPort, heloName: "mirror.bench", tls: .none))
        queueConfiguration.concurrency = 4
        let queue = QueueManager(configuration: queueConfiguration, spool: spool, io: BlockingIO(), wallClock: wallClock, logger: logger)
        let trace = MirrorTrace(tag: try MirrorTag.loadOrCreate(spoolDirectory: spool.root), hostname: "mirror.bench")
        let sink = MirrorSink(spool: spool, rules: MirrorRules(domainMap: ["bench.test.mirror.invalid": "bench.test"]),
                              trace: trace, io: BlockingIO(), wallClock: wallClock) { await queue.submit($0) }
        let server = SMTPServer(configuration: SMTPServerConfiguration(host: "127.0.0.1", port: 0, hostname: "mirror.bench"),
                                sink: sink, clock: ContinuousClock(), logger: logger)
        let group = ServiceGroup(services: [queue, server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body(try await server.listeningPort())
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Seconds until the queue is empty (every copy relayed), nil after 120 s.
    func waitForDrain() async throws -> Double? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(120) {
            if try spool.ids(in: .queue).isEmpty {
                let elapsed = ContinuousClock.now - start
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}
