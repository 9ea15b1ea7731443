import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A Dovecot instance of the test's own, as the new server's PROXY listeners would be:
/// its own base_dir, config, log, users (a passwd-file with one throwaway account) and mail
/// under a temporary directory; IMAP on two loopback ports and POP3 on one, all with `haproxy = yes`
/// (STARTTLS, implicit TLS, STLS), the testbed's certificate. The testbed's own Dovecot is
/// never touched; the instance is stopped by its master's pid.
public final class PrivateDovecot: Sendable {
    /// The account's name unless a test names another.
    public static let user = "fwduser"

    public let root: String
    public let imapPort: Int
    public let imapsPort: Int
    public let pop3Port: Int
    public let user: String
    public let password: String
    /// The Dovecot master this instance started (the test's child).
    private let master = Mutex<pid_t?>(nil)
    public var logFile: String { "\(root)/dovecot.log" }
    public var config: String { "\(root)/dovecot.conf" }

    public static var canRun: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot") }

    private init(root: String, imapPort: Int, imapsPort: Int, pop3Port: Int, user: String, password: String) {
        self.root = root
        self.imapPort = imapPort
        self.imapsPort = imapsPort
        self.pop3Port = pop3Port
        self.user = user
        self.password = password
    }

    /// Starts an instance trusting PROXY headers from `trusted`, with `settings` (more global
    /// `key = value` lines) added, runs `body`, stops it. `password`: the user's (two
    /// instances standing for the old and the new server share it, as a migration keeps it).
    public static func with<T>(
        testbed: Testbed, trusted: String = "127.0.0.0/8", settings: String = "", user: String = PrivateDovecot.user,
        password: String = UUID().uuidString,
        _ body: (PrivateDovecot) async throws -> T
    ) async throws -> T {
        // Short: Dovecot's sockets live under base_dir and a socket path has 108 bytes.
        let root = "/tmp/mf-fwd-\(UUID().uuidString.prefix(8))"
        // Held until the instance is gone: Dovecot binds them with SO_REUSEADDR meanwhile.
        let ports = try (0..<3).map { _ in try ReservedPort() }
        defer { ports.forEach { $0.release() } }
        let instance = PrivateDovecot(
            root: root, imapPort: ports[0].port, imapsPort: ports[1].port, pop3Port: ports[2].port, user: user, password: password)
        defer { try? FileManager.default.removeItem(atPath: root) }
        return try await PrivateInstance.run(
            instance, start: { try await instance.start(testbed: testbed, trusted: trusted, settings: settings) }, stop: instance.stop, body)
    }

    private func start(testbed: Testbed, trusted: String, settings: String) async throws {
        let tls = (testbed.caFile as NSString).deletingLastPathComponent
        for directory in ["run", "state", "mail"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        try Spawn.run("/bin/chown", ["tbvmail:tbvmail", "\(root)/mail"], output: "\(root)/tool-output")
        // Read by Dovecot's auth process (the dovecot user): a throwaway password.
        try "\(user):{PLAIN}\(password)::::::\n".write(toFile: "\(root)/users", atomically: true, encoding: .utf8)
        try """
            instance_name = mf-fwd-\(root.suffix(8))
            base_dir = \(root)/run
            state_dir = \(root)/state
            log_path = \(logFile)
            protocols = imap pop3
            listen = 127.0.0.1
            ssl = yes
            ssl_cert = <\(tls)/new.crt
            ssl_key = <\(tls)/new.key
            ssl_dh = <\(tls)/dh.pem
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            auth_verbose = yes
            haproxy_trusted_networks = \(trusted)
            \(settings)
            mail_location = maildir:~/Maildir
            mail_uid = tbvmail
            mail_gid = tbvmail
            first_valid_uid = 100
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u \(root)/users
            }
            userdb {
              driver = passwd-file
              args = username_format=%u \(root)/users
              default_fields = home=\(root)/mail/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = \(imapPort)
                haproxy = yes
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = \(imapsPort)
                ssl = yes
                haproxy = yes
              }
            }
            service pop3-login {
              inet_listener pop3 {
                address = 127.0.0.1
                port = \(pop3Port)
                haproxy = yes
              }
              inet_listener pop3s {
                port = 0
              }
            }

            """.write(toFile: config, atomically: true, encoding: .utf8)
        // In the foreground (-F), as this process's own child: Foundation's Process would wait
        // for a daemon's descendants to close an inherited descriptor, i.e. forever.
        master.withLock { $0 = try? Spawn.start("/usr/sbin/dovecot", ["-F", "-c", config], output: "\(root)/dovecot-stderr") }
        guard master.withLock({ $0 }) != nil else { throw Spawn.Failure(description: "cannot start dovecot") }
        // Its listeners are up when a connection is accepted.
        do {
            _ = try await Poll.until("the private Dovecot to listen on \(imapPort)", attempts: 100, interval: 0.1) { () -> Bool? in
                guard let fd = try? LoopbackSocket.connected(host: "127.0.0.1", port: imapPort, timeout: 5) else { return nil }
                close(fd)
                return true
            }
        } catch {
            let output = (try? String(contentsOfFile: "\(root)/dovecot-stderr", encoding: .utf8)) ?? ""
            throw Spawn.Failure(description: "\(error); dovecot said: \(output) \(log().joined(separator: "\n"))")
        }
    }

    /// SIGTERM to the master (it stops its children), then reap it once it has exited.
    public func stop() async {
        guard let pid = master.withLock({ $0 }) else { return }
        kill(pid, SIGTERM)
        try? await ProcessExit.wait(for: pid, "Dovecot \(pid) to exit", timeout: .seconds(10))
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
        master.withLock { $0 = nil }
    }

    /// The log's lines, for what Dovecot saw of the client.
    public func log() -> [String] {
        ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
