/// A host reached with the OpenSSH client, so the admin's `~/.ssh/config`, agent and
/// `known_hosts` apply. All commands share one multiplexed connection (ControlMaster); each
/// runs as one argv, quoted for the remote login shell, under the remote timeout(1) as well,
/// and is logged with its output under this host's name.
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
    ///   - options: more `ssh` options (`["-p", "2222", "-i", "/root/.ssh/cutover"]`).
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
                "-o", "ControlPersist=120", "-o", "ServerAliveInterval=15"] + options + [destination, "--", line]
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
            throw CutoverError.cannotRun(host: name, command: command.description, reason: "ssh: \(output.firstLine)")
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

    /// Text files only: the output travels as UTF-8 text.
    public func readFile(_ path: String) async throws -> [UInt8]? {
        let output = try await run(HostCommand(["/bin/sh", "-c", #"test -e "$1" || exit 3; exec cat -- "$1""#, "sh", path]))
        switch output.status {
        case 0: return Array(output.standardOutput.utf8)
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
