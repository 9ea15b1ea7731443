/// Why a cutover step stopped. Each case says what to look at; none leaves mail in doubt:
/// a step that throws has either not changed anything or left Postfix in its backed-up state.
public enum CutoverError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A program exited nonzero.
    case commandFailed(host: String, output: CommandOutput)
    /// A program could not be started at all.
    case cannotRun(host: String, command: String, reason: String)
    /// A program ran longer than its timeout and was killed.
    case timedOut(host: String, command: String, after: Duration)
    /// A file operation on a host failed.
    case file(host: String, path: String, reason: String)
    /// Postfix printed something mailferry cannot interpret.
    case unexpectedOutput(command: String, detail: String)
    /// The instance's configuration is not one mailferry can change safely.
    case unsafeConfiguration(String)
    /// A bounded wait ended before the condition held.
    case waitTimedOut(what: String, after: Duration)

    public var description: String {
        switch self {
        case .commandFailed(let host, let output):
            "\(host): `\(output.command)` failed (exit \(output.status)): \(output.firstLine)"
        case .cannotRun(let host, let command, let reason):
            "\(host): cannot run `\(command)`: \(reason)"
        case .timedOut(let host, let command, let after):
            "\(host): `\(command)` did not finish within \(after) and was killed"
        case .file(let host, let path, let reason):
            "\(host): \(path): \(reason)"
        case .unexpectedOutput(let command, let detail):
            "`\(command)` printed something unexpected: \(detail)"
        case .unsafeConfiguration(let detail):
            detail
        case .waitTimedOut(let what, let after):
            "gave up after \(after) waiting for \(what)"
        }
    }
}
