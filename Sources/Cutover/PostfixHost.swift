import Foundation
import PostfixControl

/// One Postfix instance on a ``Host``, named by its configuration directory. The same calls
/// as `PostfixInstance`, but asynchronous and through the host, so they work over SSH and
/// every command lands in the host's transcript.
public struct PostfixHost: Sendable {
    public let host: any Host
    public let configDirectory: String
    /// Where postconf, postmap, postfix, postqueue and postsuper live.
    public var commandDirectory = "/usr/sbin"

    public init(host: any Host, configDirectory: String) {
        self.host = host
        self.configDirectory = configDirectory.count > 1 && configDirectory.hasSuffix("/") ? String(configDirectory.dropLast()) : configDirectory
    }

    /// mailferry's maps and backups for this instance (shared with `postfix mirror`).
    public var mailferryDirectory: String { "\(configDirectory)/mailferry" }

    func command(_ program: String, _ arguments: [String]) -> [String] {
        ["\(commandDirectory)/\(program)", "-c", configDirectory] + arguments
    }

    /// Parameters set explicitly in main.cf (`postconf -n`), name → value.
    public func explicitSettings() async throws -> [String: String] {
        PostfixInstance.parseSettings(try await host.check(command("postconf", ["-n"])).standardOutput)
    }

    /// The effective value of a parameter (explicit or default).
    public func value(_ name: String) async throws -> String {
        try await host.check(command("postconf", ["-h", name])).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `postconf -M`: every master.cf service, one a line (its exit status is the caller's to judge).
    public func masterServices() async throws -> CommandOutput {
        try await host.run(HostCommand(command("postconf", ["-M"])))
    }

    /// The master.cf entry `name/type` as `postconf -M` prints it, or nil when there is none.
    public func service(_ name: String, type: String = "unix") async throws -> String? {
        let text = try await host.check(command("postconf", ["-M", "\(name)/\(type)"])).standardOutput
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return line.isEmpty ? nil : line
    }

    /// `postmap -q key map`: the lookup result, or nil when the key is not found.
    public func query(_ key: String, in map: String) async throws -> String? {
        let output = try await host.run(HostCommand(command("postmap", ["-q", key, map])))
        switch output.status {
        case 0: return output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        case 1: return nil
        default: throw CutoverError.commandFailed(host: host.name, output: output)
        }
    }

    /// True when the instance's master process runs.
    public func isRunning() async throws -> Bool {
        try await host.run(HostCommand(command("postfix", ["status"]))).status == 0
    }

    /// `postfix reload`, and how long it took. The command returns once the master has
    /// been signalled; daemons busy with a session or a delivery finish it with the old
    /// settings (see docs/admin/cutover-postfix.md).
    @discardableResult
    public func reload() async throws -> Duration {
        try await host.check(command("postfix", ["reload"])).duration
    }

    /// Every queued message (`postqueue -j`).
    public func queue() async throws -> [QueueEntry] {
        let output = try await host.check(["\(commandDirectory)/postqueue", "-c", configDirectory, "-j"], timeout: .seconds(300))
        return try QueueEntry.parse(lines: output.standardOutput, command: output.command.description)
    }

    /// `postsuper -H`: move held messages to the deferred queue.
    public func releaseFromHold(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await host.check(["\(commandDirectory)/postsuper", "-c", configDirectory, "-H", "-"], input: Array(ids.map { $0 + "\n" }.joined().utf8))
    }

    /// `postqueue -i`: attempt these deferred messages now (and nothing else). postqueue takes
    /// one id per run, so xargs(1) runs it on the host for each id read from standard input:
    /// one command for the whole list, which over SSH is one round trip instead of one per
    /// held message. Eight run at a time: each is a process start and a request to the flush
    /// service, which serves requests in parallel, and the release of the held mail is part of
    /// the freeze.
    public func deliverNow(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await host.check(Self.deliverNowArgv(commandDirectory: commandDirectory, configDirectory: configDirectory),
                             input: Array(ids.map { $0 + "\n" }.joined().utf8), timeout: .seconds(60 + ids.count / 20))
    }

    static func deliverNowArgv(commandDirectory: String, configDirectory: String) -> [String] {
        ["/usr/bin/xargs", "-r", "-n", "1", "-P", "8", "\(commandDirectory)/postqueue", "-c", configDirectory, "-i"]
    }

    /// The master's process id, from `$queue_directory/pid/master.pid`; nil when stopped.
    public func masterPID() async throws -> Int? {
        guard try await isRunning() else { return nil }
        let queueDirectory = try await value("queue_directory")
        guard let bytes = try await host.readFile("\(queueDirectory)/pid/master.pid") else { return nil }
        return Int(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The programs the master runs right now (`local`, `virtual`, `smtpd`, ...), one entry each.
    public func childPrograms() async throws -> [ChildProcess] {
        guard let master = try await masterPID() else { return [] }
        let output = try await host.run(HostCommand(["/bin/ps", "-o", "pid=,args=", "--ppid", String(master)]))
        // ps exits 1 when no process matched.
        guard output.status == 0 || output.status == 1 else { throw CutoverError.commandFailed(host: host.name, output: output) }
        return output.standardOutput.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let pid = Int(fields[0]) else { return nil }
            return ChildProcess(pid: pid, program: String(fields[1]), arguments: fields.dropFirst().joined(separator: " "))
        }
    }
}

/// A process of a Postfix master.
public struct ChildProcess: Hashable, Sendable {
    public var pid: Int
    /// The program name Postfix gives it (`local`, `virtual`, `smtpd`).
    public var program: String
    public var arguments: String
}
