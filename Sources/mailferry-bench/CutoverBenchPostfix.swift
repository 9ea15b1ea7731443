import Cutover
import Foundation
import Synchronization
import TestbedClient

#if canImport(Glibc)
import Glibc
#endif

/// A Postfix instance of the cutover benchmark's own, as the cutover tests' private instances
/// are: config, queue, data and mail under a temporary directory, its smtpd alone on a random
/// loopback address and port, virtual(8) delivering the benchmark's domain into `mail/USER/`
/// as nobody. The shared testbed's instances are never touched; `stop` ends the instance by
/// its master's pid.
final class CutoverBenchPostfix: Sendable {
    let root: String
    let address: String
    let port: Int
    let hostname: String
    let users: [String]
    let domain: String
    let postfix: PostfixHost

    var configDirectory: String { postfix.configDirectory }
    var endpoint: TestbedEndpoint { TestbedEndpoint(host: address, port: port) }
    var mailRoot: String { "\(root)/mail" }

    /// A random address in 127.100.0.0-127.199.255.255 and a random high port: two
    /// instances (or another program) colliding on both is not a practical concern, and no
    /// port has to be probed.
    init(name: String, hostname: String, users: [String], domain: String) {
        root = NSTemporaryDirectory() + "mailferry-bench-\(name)-\(UUID().uuidString.prefix(8))"
        address = "127.\(Int.random(in: 100...199)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        port = Int.random(in: 20_000...29_999)
        self.hostname = hostname
        self.users = users
        self.domain = domain
        postfix = PostfixHost(host: LocalHost(name: name), configDirectory: "\(root)/conf")
    }

    /// Root and Debian's postfix package.
    static var canRun: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix") }

    /// The instances created and not yet destroyed, for ``destroyAllNow()``.
    private static let live = Mutex<[String: CutoverBenchPostfix]>([:])
    /// Other temporary directories of the run in progress (its state directory).
    static let scratch = Mutex<Set<String>>([])

    /// Ends every live instance at once, from a signal handler's queue (Ctrl-C): SIGTERM to
    /// each master, a bounded wait, the directories removed (again while the master's last
    /// children still write their logs).
    static func destroyAllNow() {
        let instances = live.withLock { live in defer { live = [:] }; return Array(live.values) }
        for instance in instances {
            if let pid = instance.masterPID(), kill(pid, SIGTERM) == 0 {
                for _ in 0..<100 where kill(pid, 0) == 0 { usleep(100_000) }
            }
        }
        let directories = instances.map(\.root) + scratch.withLock { Array($0) }
        for directory in directories {
            for _ in 0..<20 where FileManager.default.fileExists(atPath: directory) {
                if (try? FileManager.default.removeItem(atPath: directory)) == nil { usleep(100_000) }
            }
        }
    }

    /// Writes the instance's configuration and mail directories and starts it.
    func create() async throws {
        Self.live.withLock { $0[root] = self }
        let host = postfix.host
        for directory in ["conf", "queue", "data", "mail"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        try await host.check(["/bin/chown", "postfix", "\(root)/data"])
        try await host.check(["/bin/chown", "nobody:nogroup", mailRoot])
        for user in users {
            for sub in ["", "/new", "/cur", "/tmp"] {
                try FileManager.default.createDirectory(atPath: "\(mailRoot)/\(user)\(sub)", withIntermediateDirectories: true,
                                                        attributes: [.ownerAccountID: 65534, .groupOwnerAccountID: 65534])
            }
        }
        try FileManager.default.copyItem(atPath: "/etc/postfix/master.cf", toPath: "\(configDirectory)/master.cf")
        try users.map { "\($0)@\(domain) \($0)/\n" }.joined().write(toFile: "\(configDirectory)/vmailbox", atomically: true, encoding: .utf8)
        try """
            compatibility_level = 3.6
            queue_directory = \(root)/queue
            data_directory = \(root)/data
            mail_owner = postfix
            setgid_group = postdrop
            syslog_name = postfix-mfbench
            maillog_file = \(root)/maillog
            maillog_file_prefixes = \(root)
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            myhostname = \(hostname)
            mydestination =
            relayhost =
            default_transport = error:5.7.1 the benchmark's instance delivers nothing off this machine
            relay_transport = error:5.7.1 the benchmark's instance delivers nothing off this machine
            alias_maps =
            alias_database =
            smtpd_banner = $myhostname ESMTP
            virtual_mailbox_domains = \(domain)
            virtual_mailbox_base = \(mailRoot)
            virtual_mailbox_maps = texthash:\(configDirectory)/vmailbox
            virtual_uid_maps = static:65534
            virtual_gid_maps = static:65534
            virtual_minimum_uid = 100
            smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination

            """.write(toFile: "\(configDirectory)/main.cf", atomically: true, encoding: .utf8)
        // Debian's master.cf without chroot (the queue is not /var/spool/postfix) and with the
        // public smtpd on this instance's address and port only. inet_interfaces must name an
        // interface's own address (lo has 127.0.0.1 only); master.cf's explicit address is bound
        // as it is.
        try await host.check(["/usr/sbin/postconf", "-c", configDirectory, "-F", "*/*/chroot = n"])
        try await host.check(["/usr/sbin/postconf", "-c", configDirectory, "-MX", "smtp/inet"])
        try await host.check(["/usr/sbin/postconf", "-c", configDirectory, "-M",
                              "\(address):\(port)/inet = \(address):\(port) inet n - n - - smtpd"])
        try await start()
    }

    /// `postfix start`, then wait until its smtpd answers.
    func start() async throws {
        try await postfix.host.check(["/usr/sbin/postfix", "-c", configDirectory, "start"])
        try await Wait.until("the smtpd of \(hostname) to listen", timeout: .seconds(60), clock: ContinuousClock()) {
            (try? await LineSocket(host: address, port: port, timeout: 1)) != nil
        }
    }

    /// `postfix stop` (the runbook's outage), then wait until the master is gone.
    func stopPostfix() async throws {
        let pid = masterPID()
        try await postfix.host.check(["/usr/sbin/postfix", "-c", configDirectory, "stop"])
        if let pid { try await Wait.until("the master \(pid) of \(hostname) to exit", timeout: .seconds(60), clock: ContinuousClock()) { kill(pid, 0) != 0 } }
    }

    /// SIGTERM to the master (it stops its children), wait until it is gone, remove the instance.
    func destroy() async {
        Self.live.withLock { _ = $0.removeValue(forKey: root) }
        defer { try? FileManager.default.removeItem(atPath: root) }
        guard let pid = masterPID(), kill(pid, SIGTERM) == 0 else { return }
        try? await Wait.until("the master \(pid) of \(hostname) to exit", timeout: .seconds(60), clock: ContinuousClock()) { kill(pid, 0) != 0 }
    }

    /// The running master's pid. The pid file outlives a stopped master, so the process is
    /// checked to be Postfix's `master` before anything signals it.
    private func masterPID() -> Int32? {
        guard let bytes = FileManager.default.contents(atPath: "\(root)/queue/pid/master.pid"),
              let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
              comm.trimmingCharacters(in: .whitespacesAndNewlines) == "master" else { return nil }
        return pid
    }

    /// Messages queued for the domain (the old host's drain, the new one's deliveries).
    func queued() async throws -> Int { try await postfix.queue().filter { $0.hasRecipient(in: [domain]) }.count }
}
