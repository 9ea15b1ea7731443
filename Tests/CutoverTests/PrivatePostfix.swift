import Cutover
import Foundation
import MailTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A Postfix instance of the test's own: config, queue, data and mail directories under a
/// temporary directory, its smtpd on its own loopback address and port, virtual(8) delivering
/// `store.test` into `mail/USER/`. The shared testbed's instances are never touched.
final class PrivatePostfix: Sendable {
    static let domain = "store.test"
    static let users = ["alice", "bob"]

    let root: String
    let address: String
    let port: Int
    let hostname: String
    let postfix: PostfixHost

    var configDirectory: String { postfix.configDirectory }
    var endpoint: TestbedEndpoint { TestbedEndpoint(host: address, port: port) }
    var mailRoot: String { "\(root)/mail" }
    var logFile: String { "\(root)/maillog" }

    private init(root: String, address: String, port: Int, hostname: String, host: any Cutover.Host) {
        self.root = root
        self.address = address
        self.port = port
        self.hostname = hostname
        postfix = PostfixHost(host: host, configDirectory: "\(root)/conf")
    }

    static var canRun: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix") }

    /// Starts an instance, runs `body`, stops the instance by its master's pid, removes it.
    static func with<T>(
        _ name: String, hostname: String, address: String = "127.0.0.1", port: Int? = nil, host: any Cutover.Host = LocalHost(),
        extraMainCF: String = "", _ body: (PrivatePostfix) async throws -> T
    ) async throws -> T {
        let root = NSTemporaryDirectory() + "mailferry-cutover-\(name)-\(UUID().uuidString.prefix(8))"
        // Held until the instance is gone: Postfix binds it with SO_REUSEADDR meanwhile.
        let reservation = try port == nil ? ReservedPort(address: address) : nil
        defer { reservation?.release() }
        let instance = PrivatePostfix(root: root, address: address, port: port ?? reservation?.port ?? 0, hostname: hostname, host: host)
        do {
            try await instance.start(extraMainCF: extraMainCF)
            let result = try await body(instance)
            try await instance.stop()
            return result
        } catch {
            try? await instance.stop()
            throw error
        }
    }

    private func start(extraMainCF: String) async throws {
        let host = postfix.host
        for directory in ["conf", "queue", "data", "mail"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        try await host.check(["/bin/chown", "postfix", "\(root)/data"])
        try await host.check(["/bin/chown", "nobody:nogroup", mailRoot])
        try FileManager.default.copyItem(atPath: "/etc/postfix/master.cf", toPath: "\(configDirectory)/master.cf")
        let vmailbox = Self.users.map { "\($0)@\(Self.domain) \($0)/\n" }.joined()
        try vmailbox.write(toFile: "\(configDirectory)/vmailbox", atomically: true, encoding: .utf8)
        let mainCF = """
            compatibility_level = 3.6
            queue_directory = \(root)/queue
            data_directory = \(root)/data
            mail_owner = postfix
            setgid_group = postdrop
            syslog_name = postfix-mfcut
            maillog_file = \(logFile)
            maillog_file_prefixes = \(root)
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            myhostname = \(hostname)
            mydestination =
            relayhost =
            default_transport = error:5.7.1 the cutover test instance delivers nothing off this machine
            relay_transport = error:5.7.1 the cutover test instance delivers nothing off this machine
            alias_maps =
            alias_database =
            smtpd_banner = $myhostname ESMTP
            virtual_mailbox_domains = \(Self.domain)
            virtual_mailbox_base = \(mailRoot)
            virtual_mailbox_maps = texthash:\(configDirectory)/vmailbox
            virtual_uid_maps = static:65534
            virtual_gid_maps = static:65534
            virtual_minimum_uid = 100
            smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
            \(extraMainCF)
            """
        try mainCF.write(toFile: "\(configDirectory)/main.cf", atomically: true, encoding: .utf8)
        // Debian's master.cf without chroot (the queue is not /var/spool/postfix) and with the
        // public smtpd on this instance's address and port only.
        try await host.check(["/usr/sbin/postconf", "-c", configDirectory, "-F", "*/*/chroot = n"])
        try await host.check(["/usr/sbin/postconf", "-c", configDirectory, "-MX", "smtp/inet"])
        try await host.check(["/usr/sbin/postconf", "-c", configDirectory, "-M",
                              "\(address):\(port)/inet = \(address):\(port) inet n - n - - smtpd"])
        try await host.check(["/usr/sbin/postfix", "-c", configDirectory, "start"])
        try await waitForListener(on: port, "the smtpd of \(hostname) to listen")
    }

    /// SIGTERM to the master (it stops its children), then wait until it is gone.
    func stop() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        guard let bytes = FileManager.default.contents(atPath: "\(root)/queue/pid/master.pid"),
              let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        guard kill(pid, SIGTERM) == 0 else { return }
        try await ProcessExit.wait(for: pid, "the master \(pid) of \(hostname) to exit")
    }

    /// Message files delivered to `user` (under new/ and cur/).
    func delivered(to user: String) -> [String] {
        ["new", "cur"].flatMap { sub in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(mailRoot)/\(user)/\(sub)")) ?? []).map { "\(sub)/\($0)" }
        }.sorted()
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Log lines containing `text`.
    func logLines(containing text: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains(text) }
    }

    /// Sends one message over SMTP and returns the server's final reply (250 ... queued as ID).
    @discardableResult
    func sendSMTP(to recipient: String, subject: String) async throws -> String {
        let session = try await SMTPTestSession(endpoint)
        let reply = try await session.send(from: "sender@ext.test", to: [recipient],
                                     message: "From: sender@ext.test\nTo: \(recipient)\nSubject: \(subject)\n\n\(subject)\n")
        try await session.quit()
        return reply
    }

    /// Submits one message locally, through sendmail(1), postdrop and pickup.
    func sendLocal(to recipient: String, subject: String) async throws {
        try await postfix.host.check(["/usr/bin/env", "MAIL_CONFIG=\(configDirectory)", "/usr/sbin/sendmail", "-f", "cron@ext.test", recipient],
                                     input: Array("To: \(recipient)\nSubject: \(subject)\n\n\(subject)\n".utf8))
    }

    /// Waits for what this instance's daemons write (its mailboxes, log and queue), and what
    /// is written under `watching` (another server's log directory): `condition` is checked at
    /// the start and after each change there (``DirectoryWatch``). Throws at `timeout`, a
    /// bound only a failure reaches.
    func waitFor(_ what: String, timeout: Duration = .seconds(30), watching more: [String] = [],
                 _ condition: () async throws -> Bool) async throws {
        let watch = try DirectoryWatch(trees: [root, mailRoot, "\(root)/queue"] + more)
        guard try await watch.until(timeout: timeout, condition) else {
            throw PollTimeout(what: what, seconds: Double(timeout.components.seconds))
        }
    }

    /// Waits until something accepts connections on `port` of this instance's address. Polled:
    /// a listener coming up writes nothing to wait on.
    func waitForListener(on port: Int, _ what: String) async throws {
        _ = try await Poll.until(what, attempts: 600, interval: 0.05) { () async -> Bool? in
            (try? await LineSocket(host: address, port: port, timeout: 1)) != nil ? true : nil
        }
    }
}
