/// One program to run on a host: its argv (never interpreted by a local shell), what it
/// reads on standard input, and how long it may take before it is killed.
public struct HostCommand: Hashable, Sendable, CustomStringConvertible {
    public var argv: [String]
    public var input: [UInt8]?
    public var timeout: Duration

    public init(_ argv: [String], input: [UInt8]? = nil, timeout: Duration = .seconds(60)) {
        precondition(!argv.isEmpty, "a command needs a program")
        self.argv = argv
        self.input = input
        self.timeout = timeout
    }

    /// The command as a POSIX shell would need it typed: for logs, dry runs and SSH.
    public var description: String { argv.map(ShellQuote.quote).joined(separator: " ") }
}

/// What a command did.
public struct CommandOutput: Hashable, Sendable {
    public var command: HostCommand
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    public var duration: Duration

    public init(command: HostCommand, status: Int32, standardOutput: String, standardError: String, duration: Duration) {
        self.command = command
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.duration = duration
    }

    /// The first line of standard error, else of standard output, for error messages.
    public var firstLine: String {
        let text = standardError.isEmpty ? standardOutput : standardError
        // Any newline: CR LF (as ssh writes its own errors) is one Character, not "\n".
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit status \(status)"
    }
}
