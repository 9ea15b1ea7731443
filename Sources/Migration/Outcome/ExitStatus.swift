/// The exit codes of every mailferry command. They are a contract: scripts rely on them,
/// and they are listed in `--help` and the README.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Everything done (sync: every message copied; verify: both sides identical).
    case success = 0
    /// sync: some messages or folders failed, the rest was done. verify: messages missing or altered.
    case partial = 1
    /// verify: nothing missing or altered, but flags, dates, UIDs, subscriptions or extra messages differ.
    case differences = 2
    /// The folder plan has problems (collisions, names the destination cannot hold); nothing was written.
    case planRefused = 3
    /// A login failed.
    case authentication = 4
    /// A server could not be reached, TLS failed, or the connection kept dropping.
    case connection = 5
    /// Bad flags or configuration.
    case usage = 64
    /// A bug in mailferry.
    case internalError = 70

    /// How bad an outcome is, to pick one code for many accounts: the worst wins.
    public var severity: Int {
        switch self {
        case .success: return 0
        case .differences: return 1
        case .partial: return 2
        case .planRefused: return 3
        case .authentication: return 4
        case .connection: return 5
        case .usage: return 6
        case .internalError: return 7
        }
    }

    /// The worst of several statuses.
    public static func worst(_ statuses: [ExitStatus]) -> ExitStatus {
        statuses.max { $0.severity < $1.severity } ?? .success
    }

    /// The table printed in `--help`.
    public static let helpTable = """
        Exit codes:
          0   success (sync: everything copied; verify: identical)
          1   partial (sync: some messages or folders failed;
              verify: messages missing or altered)
          2   verify only: nothing lost, but flags, dates, UIDs,
              subscriptions or extra messages differ
          3   the folder plan was refused (collision, unrepresentable
              name); nothing was written
          4   authentication failed
          5   connection failed (unreachable, TLS, connection kept dropping)
          64  usage or configuration error
          70  internal error (a bug: please report it)
        """
}
