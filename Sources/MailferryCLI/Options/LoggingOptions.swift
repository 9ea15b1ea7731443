import ArgumentParser
import Logging

/// How much mailferry says on standard error besides progress and the summary.
struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log each step (-vv: every IMAP command, without passwords or message bodies).")
    var verbose: Int

    @Flag(name: .shortAndLong, help: "No progress display; only the summary and errors.")
    var quiet = false

    var level: Logger.Level {
        switch verbose {
        case 0: return quiet ? .error : .warning
        case 1: return .info
        case 2: return .debug
        default: return .trace
        }
    }

    /// Set up swift-log once for the process, writing to standard error.
    func bootstrap() -> Logger {
        let level = self.level
        LoggingSetup.bootstrapOnce(level: level)
        var logger = Logger(label: "mailferry")
        logger.logLevel = level
        return logger
    }
}

/// swift-log may be bootstrapped only once per process (tests run many commands).
enum LoggingSetup {
    private static let once: Void = {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
    }()

    static func bootstrapOnce(level: Logger.Level) { _ = once }
}
