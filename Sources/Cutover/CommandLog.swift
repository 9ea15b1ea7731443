import Synchronization

/// Receives every command a host ran and its complete output (the issue's "every remote
/// command and its output logged"). Implementations must not block for long: hosts call
/// them inline after each command.
public protocol CommandLog: Sendable {
    func record(host: String, output: CommandOutput)
}

/// Keeps the records in memory, for reports and tests.
public final class CommandTranscript: CommandLog {
    private let records = Mutex<[(host: String, output: CommandOutput)]>([])

    public init() {}

    public func record(host: String, output: CommandOutput) {
        records.withLock { $0.append((host, output)) }
    }

    /// Every command so far, in order, as `host$ command` lines.
    public var commands: [String] {
        records.withLock { entries in entries.map { "\($0.host)$ \($0.output.command)" } }
    }

    public var outputs: [CommandOutput] {
        records.withLock { $0.map(\.output) }
    }
}
