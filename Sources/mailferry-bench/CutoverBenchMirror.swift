import Foundation
import Logging
import MailSpool
import Migration
import PostfixControl
import SMTPCodec
import SMTPServer
import ServiceLifecycle

/// The mirror phase of `scripts/bench cutover`: `mailferry mirror` in-process (the production
/// factory, as ``MirrorRig``) relaying tagged copies to the new private Postfix, and the old
/// private Postfix set up as `mailferry postfix mirror --apply` sets a real one up, so every
/// message for the domain is bcc'd to the mirror from before the bulk copy until the hold.
struct CutoverBenchMirror {
    let spoolDirectory: String
    let domain: String
    let logger: Logger

    /// Runs `body` with the mirror listening and the old instance bcc'ing to it; the mirror
    /// stops (gracefully) when `body` returns or throws.
    func run<T: Sendable>(old: CutoverBenchPostfix, new: CutoverBenchPostfix, _ body: (MailSpool) async throws -> T) async throws -> T {
        var configuration = MirrorConfiguration()
        configuration.listen.port = 0
        configuration.listen.hostname = "mirror.bench.test"
        configuration.spoolDirectory = spoolDirectory
        configuration.shadowDomains = ["\(domain).mirror.invalid": domain]
        configuration.destination.host = new.address
        configuration.destination.port = new.port
        configuration.destination.helo = "mirror.bench.test"
        configuration.destination.tls = .none
        configuration.destination.concurrency = 4
        let mirror = try MirrorServices(configuration, logger: logger)
        let group = ServiceGroup(services: mirror.services, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let port = try await mirror.server.listeningPort()
                try PostfixInstance(configDirectory: old.configDirectory)
                    .applyMirror(PostfixMirrorPlan(domains: [domain], route: .mirror(host: "127.0.0.1", port: port)))
                let result = try await body(mirror.spool)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
