import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP for the long-running commands (`mirror`, `forward`). Its default action ends the
/// process, yet admins and logrotate scripts send it to daemons meaning "reload". mailferry's
/// daemons read their configuration once, at start: a hangup is logged with what to do instead
/// and otherwise changes nothing. The signal is trapped when this value is made, before the
/// ports are bound, so there is no moment at which a hangup still kills.
struct HangupNotice: Service {
    let command: String
    let logger: Logger
    private let hangups: UnixSignalsSequence

    init(command: String, logger: Logger) async {
        self.command = command
        self.logger = logger
        hangups = await UnixSignalsSequence(trapping: .sighup)
    }

    func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() { log() }
    }

    func log() {
        logger.notice(
            "SIGHUP ignored: the configuration is read only at start; to apply a change, restart (systemctl restart, or SIGTERM and start again)",
            metadata: ["command": "\(command)"])
    }
}
