import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Debian's sshd of the test's own, for what mailferry does to a remote old host: host and
/// client keys made by the test in a private directory, a `known_hosts` naming the host key,
/// listening on a reserved 127.0.0.1 port, accepting only that client key for root (the
/// cutover runs as root); stopped by its pid. Nothing under ~/.ssh is read or written: the
/// client gets everything through ``sshOptions`` (`-F` and a config file of its own), as an
/// admin would through `ssh_options`.
public struct PrivateSSHDaemon: Sendable {
    public let directory: String
    public let port: Int
    public var destination: String { "root@127.0.0.1" }
    /// The client's options: the daemon's own ssh_config (port, key, known_hosts).
    public var sshOptions: [String] { ["-F", "\(directory)/ssh_config"] }
    public var knownHosts: String { "\(directory)/known_hosts" }
    public var log: String { (try? String(contentsOfFile: "\(directory)/sshd.log", encoding: .utf8)) ?? "" }

    public static var canRun: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh")
    }

    public static func with<T>(_ body: (PrivateSSHDaemon) async throws -> T) async throws -> T {
        let directory = NSTemporaryDirectory() + "mailferry-sshd-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Held while the daemon runs: sshd binds it with SO_REUSEADDR meanwhile.
        let reservation = try ReservedPort()
        defer { reservation.release() }
        let daemon = PrivateSSHDaemon(directory: directory, port: reservation.port)
        for key in ["host_key", "client_key"] { try await generateKey("\(directory)/\(key)") }
        try FileManager.default.copyItem(atPath: "\(directory)/client_key.pub", toPath: "\(directory)/authorized_keys")
        try daemon.trust(hostKey: "\(directory)/host_key.pub")
        try """
            Host *
                Port \(daemon.port)
                IdentityFile \(directory)/client_key
                IdentitiesOnly yes
                UserKnownHostsFile \(directory)/known_hosts
                GlobalKnownHostsFile /dev/null

            """.write(toFile: "\(directory)/ssh_config", atomically: true, encoding: .utf8)
        try """
            ListenAddress 127.0.0.1
            Port \(daemon.port)
            HostKey \(directory)/host_key
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(directory)/authorized_keys
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            MaxSessions 50

            """.write(toFile: "\(directory)/sshd_config", atomically: true, encoding: .utf8)
        // sshd needs its privilege separation directory; Debian's init script makes it.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        // sshd binds its port before it goes to the background, so it listens once this returns.
        try await Process.check("/usr/sbin/sshd", ["-f", "\(directory)/sshd_config", "-E", "\(directory)/sshd.log"])
        do {
            // The daemon writes its pid file after going to the background, maybe after the return.
            _ = try await DirectoryWatch.until("sshd's pid file", in: directory, timeout: .seconds(10)) { daemon.listenerPID }
            let result = try await body(daemon)
            try await daemon.stop()
            return result
        } catch {
            try? await daemon.stop()
            throw error
        }
    }

    /// A new ed25519 key pair without a passphrase: `path` and `path.pub`.
    public static func generateKey(_ path: String) async throws {
        try await Process.check("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path])
    }

    /// known_hosts names the public key in `hostKey` for this daemon's address and port
    /// (nil: no key is known).
    public func trust(hostKey: String?) throws {
        var line = ""
        if let hostKey {
            let key = try String(contentsOfFile: hostKey, encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
            line = "[127.0.0.1]:\(port) \(key)\n"
        }
        try line.write(toFile: knownHosts, atomically: true, encoding: .utf8)
    }

    /// The listening sshd's pid (from its pid file), while it runs.
    public var listenerPID: Int32? {
        guard let bytes = FileManager.default.contents(atPath: "\(directory)/sshd.pid"),
              let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              kill(pid, 0) == 0 else { return nil }
        return pid
    }

    /// Cuts every connection as a network failure would: SIGKILL, by pid, to each process
    /// below the listener (the per-connection sshd processes and what they run); the
    /// listener keeps accepting new connections. Returns the pids killed.
    @discardableResult
    public func cutConnections() -> [Int32] {
        guard let listener = listenerPID else { return [] }
        var children: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { continue }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            let text = String(decoding: stat, as: UTF8.self)
            guard let close = text.lastIndex(of: ")") else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { children[parent, default: []].append(pid) }
        }
        var found: [Int32] = []
        var queue = children[listener] ?? []
        while let pid = queue.popLast(), found.count < 10_000 {
            found.append(pid)
            queue += children[pid] ?? []
        }
        for pid in found { kill(pid, SIGKILL) }
        return found
    }

    /// SIGTERM to the listener, then wait until it is gone; its connections are cut first.
    public func stop() async throws {
        guard let pid = listenerPID else { return }
        cutConnections()
        guard kill(pid, SIGTERM) == 0 else { return }
        try await ProcessExit.wait(for: pid, "sshd \(pid) to exit", timeout: .seconds(10))
    }
}
