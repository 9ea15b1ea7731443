import ArgumentParser

/// Exit codes shared by the mirror and postfix commands (sysexits.h values).
enum MailferryExit {
    /// Bad flags or configuration.
    static let usage = ExitCode(64)
    /// A bug.
    static let internalError = ExitCode(70)
    /// A file or network operation failed (spool, listen, postconf).
    static let ioError = ExitCode(74)
    /// The report found problems and `--fail-on-problems` was given.
    static let problemsFound = ExitCode(1)
}
