import Foundation
import TestbedClient

#if canImport(Glibc)
import Glibc
#endif

/// The forwarder benchmark's IMAP server: a Dovecot of its own (Debian's binary, its own
/// base_dir, config and log under a temporary directory), one account whose INBOX holds one
/// large message, and two loopback listeners: a plain one for the direct path and one with
/// `haproxy = yes` behind the forwarder, as the new server's PROXY listener is set up in a
/// cutover. No TLS: it runs end to end through the forwarder, so it adds the same work to
/// both paths. The testbed's Dovecot is never touched.
final class ForwardBenchDovecot: Sendable {
    static let user = "fwdbench"
    let password: String
    let root: String
    let directPort: Int
    let proxyPort: Int
    let messageBytes: Int
    private let master: Process

    private init(root: String, directPort: Int, proxyPort: Int, messageBytes: Int, master: Process, password: String) {
        self.password = password
        self.root = root
        self.directPort = directPort
        self.proxyPort = proxyPort
        self.messageBytes = messageBytes
        self.master = master
    }

    /// Starts Dovecot with a message of `megabytes` MB (10^6 bytes) in the INBOX; stop it with ``stop()``.
    static func start(megabytes: Int) throws -> ForwardBenchDovecot {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot") else {
            throw BenchError("the FETCH measurement needs root and /usr/sbin/dovecot (apt-get install dovecot-imapd)")
        }
        guard let owner = getpwnam("mail") else { throw BenchError("no 'mail' user to own the benchmark's mailbox") }
        let (uid, gid) = (owner.pointee.pw_uid, owner.pointee.pw_gid)
        // Short: Dovecot's sockets live under base_dir and a socket path has 108 bytes.
        let root = "/tmp/mf-bench-fwd-\(UUID().uuidString.prefix(8))"
        let mail = "\(root)/mail"
        let fileManager = FileManager.default
        for directory in ["\(root)/run", "\(root)/state", "\(mail)/cur", "\(mail)/new", "\(mail)/tmp"] {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        let message = Self.message(bytes: megabytes * 1_000_000)
        let file = "\(mail)/cur/1000000000.M1P1.bench,S=\(message.count):2,S"
        guard fileManager.createFile(atPath: file, contents: message) else { throw BenchError("cannot write \(file)") }
        for path in [mail, "\(mail)/cur", "\(mail)/new", "\(mail)/tmp", file] where chown(path, uid, gid) != 0 {
            throw BenchError("chown \(path): \(String(cString: strerror(errno)))")
        }
        let password = UUID().uuidString
        // Dovecot binds the reserved ports with SO_REUSEADDR while the reservations hold them.
        let direct = try ReservedPort()
        let proxied = try ReservedPort()
        defer {
            direct.release()
            proxied.release()
        }
        let config = "\(root)/dovecot.conf"
        try Self.config(root: root, uid: uid, gid: gid, directPort: direct.port, proxyPort: proxied.port)
            .write(toFile: config, atomically: true, encoding: .utf8)
        try "\(user):{PLAIN}\(password)::::::\n".write(toFile: "\(root)/users", atomically: true, encoding: .utf8)
        // In the foreground (-F), as this process's child, with its output to /dev/null: a
        // daemon's descendants would otherwise hold a pipe of ours open.
        let master = try ExternalProgram.start("/usr/sbin/dovecot", ["-F", "-c", config])
        let server = ForwardBenchDovecot(
            root: root, directPort: direct.port, proxyPort: proxied.port, messageBytes: message.count, master: master, password: password)
        do {
            try server.waitUntilListening()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// SIGTERM to the master (it ends its children), then its directory goes.
    func stop() {
        if master.isRunning {
            master.terminate()
            master.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Dovecot is up when the direct listener greets; both listeners start together.
    private func waitUntilListening() throws {
        for _ in 0..<200 {
            if master.isRunning == false { break }
            if let client = try? ForwardBenchClient(port: directPort), (try? client.readGreeting()) != nil { return }
            usleep(25_000)
        }
        let log = (try? String(contentsOfFile: "\(root)/dovecot.log", encoding: .utf8)) ?? ""
        throw BenchError("the benchmark's Dovecot did not start listening on 127.0.0.1:\(directPort): \(log.suffix(2000))")
    }

    /// A message of exactly `bytes` octets: a small header and 1,000-octet lines.
    static func message(bytes: Int) -> Data {
        var data = Data("From: bench@example.org\r\nTo: bench@example.org\r\nSubject: forwarder benchmark\r\n\r\n".utf8)
        let line = Data(repeating: UInt8(ascii: "x"), count: 998) + Data("\r\n".utf8)
        data.reserveCapacity(bytes)
        while data.count + line.count <= bytes { data.append(line) }
        if data.count < bytes - 2 { data.append(Data(repeating: UInt8(ascii: "y"), count: bytes - 2 - data.count) + Data("\r\n".utf8)) }
        return data
    }

    static func config(root: String, uid: uid_t, gid: gid_t, directPort: Int, proxyPort: Int) -> String {
        """
        instance_name = \((root as NSString).lastPathComponent)
        base_dir = \(root)/run
        state_dir = \(root)/state
        log_path = \(root)/dovecot.log
        protocols = imap
        listen = 127.0.0.1
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain
        haproxy_trusted_networks = 127.0.0.0/8
        mail_location = maildir:\(root)/mail
        mail_uid = \(uid)
        mail_gid = \(gid)
        first_valid_uid = \(uid)
        first_valid_gid = \(gid)
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u \(root)/users
        }
        userdb {
          driver = static
          args = home=\(root)/mail
        }
        service imap-login {
          inet_listener imap {
            address = 127.0.0.1
            port = \(directPort)
          }
          inet_listener proxied {
            address = 127.0.0.1
            port = \(proxyPort)
            haproxy = yes
          }
        }

        """
    }
}
