import ArgumentParser
import Foundation
import Logging
import MailSpool
import Migration
import Relay
import SMTPServer
import ServiceLifecycle
import UnixSignals

/// `mailferry mirror [run] --config FILE`.
struct MirrorRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the mirror endpoint (the default subcommand).",
        discussion: """
            Listens for the old server's bcc copies and relays them to the new server. Stops \
            gracefully on SIGTERM or SIGINT: no new connections, transactions in flight finish, \
            the spool stays consistent. SIGHUP is logged and ignored (the configuration is read \
            at start: restart to apply a change). A kill -9 loses nothing that was answered 250: the spool \
            is recovered at the next start. One mirror per spool: a second one started on the \
            same spool directory exits with 74 (`mirror queue` and `mirror report` may read it \
            at any time).

            Exits 0 when stopped cleanly, 64 on a bad configuration, 74 when it cannot listen or use the spool.

            \(ExitStatus.helpTable)
            """
    )

    @Option(name: .long, help: "The mirror configuration (TOML). See examples/mirror.toml.")
    var config: String

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let configuration: MirrorConfiguration
        do {
            configuration = try MirrorConfiguration.load(path: config)
        } catch {
            FileHandle.standardError.write(Data("mailferry mirror: \(error)\n".utf8))
            throw ExitStatus.usage.exitCode
        }
        let logger = logging.bootstrap()
        let hangup = await HangupNotice(command: "mirror", logger: logger)
        let services: [any Service]
        do {
            services = try MirrorServices(configuration, logger: logger).services + [hangup]
        } catch {
            logger.error("cannot start the mirror", metadata: ["error": "\(error)"])
            throw ExitStatus.ioError.exitCode
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("mirror stopped with an error", metadata: ["error": "\(error)"])
            throw ExitStatus.ioError.exitCode
        }
    }
}
