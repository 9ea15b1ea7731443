import Foundation
import Logging
import MailSpool
import Migration
import SMTPCodec
import SMTPServer
import ServiceLifecycle

/// `mailferry mirror` in-process for the benchmark: the production factory (spool with fsync
/// and owner lock, queue manager, mirror sink, SMTP server) relaying to smtp-sink.
struct MirrorRig {
    let directory: String
    let sinkPort: Int

    init(directory: String, sinkPort: Int) {
        self.directory = directory
        self.sinkPort = sinkPort
    }

    func run(_ body: (Int, MailSpool) async throws -> Void) async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        var configuration = MirrorConfiguration()
        configuration.listen.port = 0
        configuration.listen.hostname = "mirror.bench"
        configuration.spoolDirectory = directory
        configuration.shadowDomains = ["bench.test.mirror.invalid": "bench.test"]
        configuration.destination.port = sinkPort
        configuration.destination.helo = "mirror.bench"
        configuration.destination.tls = .none
        configuration.destination.concurrency = 4
        let mirror = try MirrorServices(configuration, logger: logger)
        let group = ServiceGroup(services: mirror.services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body(try await mirror.server.listeningPort(), mirror.spool)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Seconds until the queue is empty (every copy relayed), nil after 120 s.
    static func waitForDrain(_ spool: MailSpool) async throws -> Double? {
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
