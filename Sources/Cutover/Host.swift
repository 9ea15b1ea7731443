/// A machine whose Postfix the cutover drives: the old host, reached locally or over SSH.
/// Every command goes through `run`, so one transcript shows everything mailferry did there.
public protocol Host: Sendable {
    /// How reports and logs name this host (`local`, `root@old.example.com`).
    var name: String { get }

    /// Runs one program (argv, never a shell line) to completion.
    func run(_ command: HostCommand) async throws -> CommandOutput

    /// Replaces `path` with `bytes` atomically: readers see the old or the new file, never a mix.
    func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int) async throws

    /// The file's bytes, or nil when it does not exist.
    func readFile(_ path: String) async throws -> [UInt8]?

    /// Removes `path`; nothing happens when it does not exist.
    func removeFile(_ path: String) async throws
}

extension Host {
    /// Runs `argv` and returns its output; a nonzero exit status is an error naming the command.
    @discardableResult
    public func check(_ argv: [String], input: [UInt8]? = nil, timeout: Duration = .seconds(60)) async throws -> CommandOutput {
        let output = try await run(HostCommand(argv, input: input, timeout: timeout))
        guard output.status == 0 else { throw CutoverError.commandFailed(host: name, output: output) }
        return output
    }
}
