import Cutover
import Foundation
import MailTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Debian's sshd of the test's own: host and client keys made by the test, listening on a
/// free 127.0.0.1 port, accepting only that client key for root; stopped by its pid.
struct PrivateSSHDaemon {
    let directory: String
    let port: Int

    static var canRun: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") }

    /// An SSHHost for root on this daemon, with its own known_hosts and key.
    func host(log: (any CommandLog)? = nil) -> SSHHost {
        SSHHost(destination: "root@127.0.0.1", controlPath: "\(directory)/control-%C",
                options: ["-p", String(port), "-i", "\(directory)/client_key", "-o", "UserKnownHostsFile=\(directory)/known_hosts",
                          "-o", "StrictHostKeyChecking=yes"],
                log: log)
    }

    static func with<T>(_ body: (PrivateSSHDaemon) async throws -> T) async throws -> T {
        let directory = NSTemporaryDirectory() + "mailferry-sshd-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Held while the daemon runs: sshd binds it with SO_REUSEADDR meanwhile.
        let reservation = try ReservedPort()
        defer { reservation.release() }
        let daemon = PrivateSSHDaemon(directory: directory, port: reservation.port)
        let local = LocalHost()
        for key in ["host_key", "client_key"] {
            try await local.check(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "\(directory)/\(key)"])
        }
        try FileManager.default.copyItem(atPath: "\(directory)/client_key.pub", toPath: "\(directory)/authorized_keys")
        let hostKey = try String(contentsOfFile: "\(directory)/host_key.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(daemon.port) \(hostKey)\n".write(toFile: "\(directory)/known_hosts", atomically: true, encoding: .utf8)
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

            """.write(toFile: "\(directory)/sshd_config", atomically: true, encoding: .utf8)
        // sshd needs its privilege separation directory; Debian's init script makes it.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try await local.check(["/usr/sbin/sshd", "-f", "\(directory)/sshd_config", "-E", "\(directory)/sshd.log"])
        try await Wait.until("sshd on port \(daemon.port)", timeout: .seconds(20), clock: ContinuousClock()) {
            (try? await LineSocket(host: "127.0.0.1", port: daemon.port, timeout: 1)) != nil
        }
        do {
            let result = try await body(daemon)
            try await daemon.stop()
            return result
        } catch {
            try? await daemon.stop()
            throw error
        }
    }

    func stop() async throws {
        guard let bytes = FileManager.default.contents(atPath: "\(directory)/sshd.pid"),
              let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              kill(pid, SIGTERM) == 0 else { return }
        try await Wait.until("sshd \(pid) to exit", timeout: .seconds(20), clock: ContinuousClock()) { kill(pid, 0) != 0 }
    }
}
