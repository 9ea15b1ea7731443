import Foundation

/// A host reached with the OpenSSH client, so the admin's `~/.ssh/config`, agent and
/// `known_hosts` apply. All commands share one multiplexed connection (ControlMaster); each
/// runs as one argv, quoted for the remote login shell, under the remote timeout(1) as well,
/// and is logged with its output under this host's name. The host key is always checked
/// against known_hosts (`StrictHostKeyChecking=yes`, whatever ssh_config says): an unknown or
/// changed key is refused, as a TLS client refuses a certificate it cannot verify.
public struct SSHHost: Host {
    public let name: String
    let destination: String
    let options: [String]
    let controlPath: String
    let sshPath: String
    let local: LocalHost
    let log: (any CommandLog)?

    /// - Parameters:
    ///   - destination: what `ssh` takes (`root@old.example.com`, or a `Host` alias).
    ///   - controlPath: the multiplexing socket (a directory only mailferry writes to).
    ///   - options: more `ssh` options (`["-p", "2222", "-i", "/root/.ssh/cutover"]`, `-F FILE`,
    ///     `-o UserKnownHostsFile=FILE`); an explicit `StrictHostKeyChecking` here wins over
    ///     the default `yes`.
    ///   - sshPath: the client to run.
    public init(destination: String, controlPath: String, options: [String] = [], sshPath: String = "/usr/bin/ssh",
                log: (any CommandLog)? = nil) {
        name = destination
        self.destination = destination
        self.controlPath = controlPath
        self.options = options
        self.sshPath = sshPath
        self.log = log
        local = LocalHost(name: destination)
    }

    /// The local argv that runs `remote` on the host.
    public func sshArgv(_ remote: [String], timeout: Duration) -> [String] {
        let seconds = String(max(1, Int(timeout.components.seconds)))
        let line = (["timeout", "--kill-after=5", seconds] + remote).map(ShellQuote.quote).joined(separator: " ")
        return [sshPath, "-o", "BatchMode=yes", "-o", "ControlMaster=auto", "-o", "ControlPath=\(controlPath)",
                "-o", "ControlPersist=120", "-o", "ServerAliveInterval=15"] + options + hostKeyChecking + [destination, "--", line]
    }

    /// ssh takes the first value it sees for an option, and the command line before any
    /// config file: placed after `options`, the default loses only to the admin's own
    /// explicit choice there.
    var hostKeyChecking: [String] {
        let explicit = options.contains { $0.lowercased().replacingOccurrences(of: " ", with: "").contains("stricthostkeychecking") }
        return explicit ? [] : ["-o", "StrictHostKeyChecking=yes"]
    }

    public func run(_ command: HostCommand) async throws -> CommandOutput {
        // The local timeout leaves the remote one 10 s to act first, so a hung remote
        // program is reported as such rather than as a lost connection.
        let local = HostCommand(sshArgv(command.argv, timeout: command.timeout), input: command.input,
                                timeout: command.timeout + .seconds(10))
        var output = try await self.local.run(local)
        output.command = command
        log?.record(host: name, output: output)
        if output.status == 255 {
            throw CutoverError.cannotRun(host: name, command: command.description, reason: "ssh: \(Self.failure(output))")
        }
        if output.status == 124 || output.status == 137 {
            throw CutoverError.timedOut(host: name, command: command.description, after: command.timeout)
        }
        return output
    }

    /// Written to a temporary name next to `path`, flushed to disk, then renamed over it.
    public func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int) async throws {
        let script = #"umask 077 && cat > "$1.mailferry-tmp" && chmod "$2" "$1.mailferry-tmp" && sync "$1.mailferry-tmp" && mv -f "$1.mailferry-tmp" "$1""#
        let output = try await run(HostCommand(["/bin/sh", "-c", script, "sh", path, String(permissions, radix: 8)], input: bytes))
        guard output.status == 0 else { throw CutoverError.file(host: name, path: path, reason: output.firstLine) }
    }

    /// ssh's own error: for a refused host key the line that says why (ssh prints it under a
    /// banner of `@`s) and what to do; else the first line, as for any command.
    static func failure(_ output: CommandOutput) -> String {
        // ssh ends its own lines with CR LF, one Character in Swift: split on any newline.
        let lines = output.standardError.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.contains(where: { $0.hasPrefix("Host key verification failed") }) else {
            return lines.first { !$0.isEmpty } ?? output.firstLine
        }
        if lines.contains(where: { $0.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") }) {
            let offending = lines.first { $0.hasPrefix("Offending") }.map { " (\($0))" } ?? ""
            return "host key verification failed: the host key differs from the one in known_hosts\(offending); "
                + "mailferry never accepts a changed key: compare its fingerprint with the old host's own "
                + "(`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` there), then replace the line (`ssh-keygen -R HOST`)"
        }
        let cause = lines.first { $0.contains("host key is known") }.map { " (\($0))" } ?? ""
        return "host key verification failed: no known host key\(cause); mailferry never accepts an unknown key: "
            + "add the old host's key to known_hosts after checking its fingerprint (connect once with `ssh` by hand)"
    }

    /// The bytes travel base64-encoded: command output is decoded as text, which would
    /// rewrite 8-bit bytes that are not UTF-8.
    public func readFile(_ path: String) async throws -> [UInt8]? {
        let output = try await run(HostCommand(["/bin/sh", "-c", #"test -e "$1" || exit 3; exec base64 -- "$1""#, "sh", path]))
        switch output.status {
        case 0:
            guard let data = Data(base64Encoded: output.standardOutput, options: .ignoreUnknownCharacters) else {
                throw CutoverError.file(host: name, path: path, reason: "base64 sent something that does not decode")
            }
            return [UInt8](data)
        case 3: return nil
        default: throw CutoverError.file(host: name, path: path, reason: output.firstLine)
        }
    }

    public func removeFile(_ path: String) async throws {
        let output = try await run(HostCommand(["/bin/rm", "-f", "--", path]))
        guard output.status == 0 else { throw CutoverError.file(host: name, path: path, reason: output.firstLine) }
    }

    /// Ends the multiplexed connection (`ssh -O exit`).
    public func close() async throws {
        // The same options as the commands: ControlPath's %C hashes the port and user too.
        _ = try await local.run(HostCommand([sshPath, "-o", "ControlPath=\(controlPath)"] + options + ["-O", "exit", destination]))
    }
}
