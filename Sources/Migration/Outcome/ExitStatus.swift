/// The exit codes of every mailferry command: one table, derived from typed outcomes (see
/// ExitStatus+Outcomes.swift). They are a contract: scripts rely on them, and they are
/// listed in `--help` and the README.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Everything done (sync: every message copied; verify: both sides identical).
    case success = 0
    /// The work was done but found or left problems: sync: some messages or folders failed,
    /// or were deferred by `--settle`;
    /// verify: messages missing or altered; mirror report --fail-on-problems: the new server
    /// refused copies; postfix: a check or the test message failed; plan: a blocker was found.
    case partial = 1
    /// verify: nothing missing or altered, but flags, dates, UIDs, subscriptions or extra messages differ.
    case differences = 2
    /// The folder plan was refused (a malformed folder rule); nothing was written. Folders the
    /// destination cannot hold, or that collide, are refused one by one (exit 1).
    case planRefused = 3
    /// A login failed.
    case authentication = 4
    /// A server could not be reached, TLS failed, the connection kept dropping, or the server
    /// kept breaking the protocol (malformed or endless responses, a silent peer).
    case connection = 5
    /// Bad flags or configuration.
    case usage = 64
    /// A bug in mailferry.
    case internalError = 70
    /// A local file or system operation failed: the spool, listening, postconf, a report file.
    case ioError = 74

    /// How bad an outcome is, to pick one code for many accounts: the worst wins.
    public var severity: Int {
        switch self {
        case .success: return 0
        case .differences: return 1
        case .partial: return 2
        case .planRefused: return 3
        case .authentication: return 4
        case .connection: return 5
        case .ioError: return 6
        case .usage: return 7
        case .internalError: return 8
        }
    }

    /// The worst of several statuses.
    public static func worst(_ statuses: [ExitStatus]) -> ExitStatus {
        statuses.max { $0.severity < $1.severity } ?? .success
    }

    /// One line for `--help` and the README's table.
    public var meaning: String {
        switch self {
        case .success: return "success (sync: everything copied; verify: identical)"
        case .partial:
            return "problems (sync: some messages or folders failed, or were deferred by --settle; verify: messages missing or altered; "
                + "mirror report --fail-on-problems: copies refused; postfix: a check failed; plan: blockers found; dns watch: old answers left at --for)"
        case .differences: return "verify only: nothing lost, but flags, dates, UIDs, subscriptions or extra messages differ"
        case .planRefused: return "the folder plan was refused (a malformed folder rule); nothing was written"
        case .authentication: return "authentication failed"
        case .connection: return "connection failed (unreachable, TLS, connection kept dropping, server kept breaking the protocol)"
        case .usage: return "usage or configuration error"
        case .internalError: return "internal error (a bug: please report it)"
        case .ioError: return "local I/O error (spool, listen address, postconf, report file)"
        }
    }
}
