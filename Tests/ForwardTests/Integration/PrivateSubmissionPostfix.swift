import Foundation
import MailTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A Postfix instance of the test's own with one smtpd service that reads a PROXY header
/// first (`smtpd_upstream_proxy_protocol = haproxy`), as the new server's forwarded
/// submission service: config, queue and data under a temporary directory, its log in a
/// file, delivering nowhere. The testbed's instances are never touched; it is stopped by
/// its master's pid.
final class PrivateSubmissionPostfix: Sendable {
    let root: String
    let port: Int
    var configDirectory: String { "\(root)/conf" }
    var logFile: String { "\(root)/maillog" }

    static var canRun: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix") }

    private init(root: String, port: Int) {
        self.root = root
        self.port = port
    }

    /// `tlsDirectory` holds the testbed's new.crt and new.key, offered with STARTTLS.
    static func with<T>(tlsDirectory: String, _ body: (PrivateSubmissionPostfix) async throws -> T) async throws -> T {
        let root = "/tmp/mf-fwd-pf-\(UUID().uuidString.prefix(8))"
        // Held until the instance is gone: Postfix binds it with SO_REUSEADDR meanwhile.
        let reservation = try ReservedPort()
        defer { reservation.release() }
        let instance = PrivateSubmissionPostfix(root: root, port: reservation.port)
        defer { try? FileManager.default.removeItem(atPath: root) }
        return try await PrivateInstance.run(instance, start: { try await instance.start(tlsDirectory: tlsDirectory) }, stop: instance.stop, body)
    }

    private func start(tlsDirectory: String) async throws {
        for directory in ["conf", "queue", "data"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        let output = "\(root)/tool-output"
        try Spawn.run("/bin/chown", ["postfix", "\(root)/data"], output: output)
        try FileManager.default.copyItem(atPath: "/etc/postfix/master.cf", toPath: "\(configDirectory)/master.cf")
        try """
            compatibility_level = 3.6
            queue_directory = \(root)/queue
            data_directory = \(root)/data
            mail_owner = postfix
            setgid_group = postdrop
            syslog_name = postfix-mffwd
            maillog_file = \(logFile)
            maillog_file_prefixes = \(root)
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.1/32
            myhostname = submission.new.test
            mydestination =
            relayhost =
            default_transport = error:5.7.1 the forward test instance delivers nothing
            relay_transport = error:5.7.1 the forward test instance delivers nothing
            alias_maps =
            alias_database =
            smtpd_banner = $myhostname ESMTP
            smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
            smtpd_tls_security_level = may
            smtpd_tls_cert_file = \(tlsDirectory)/new.crt
            smtpd_tls_key_file = \(tlsDirectory)/new.key
            smtpd_tls_loglevel = 1

            """.write(toFile: "\(configDirectory)/main.cf", atomically: true, encoding: .utf8)
        // Debian's master.cf without chroot, without the public smtpd, plus the forwarded
        // submission service on this instance's port.
        try Spawn.run("/usr/sbin/postconf", ["-c", configDirectory, "-F", "*/*/chroot = n"], output: output)
        try Spawn.run("/usr/sbin/postconf", ["-c", configDirectory, "-MX", "smtp/inet"], output: output)
        try Spawn.run(
            "/usr/sbin/postconf",
            ["-c", configDirectory, "-M", "127.0.0.1:\(port)/inet = 127.0.0.1:\(port) inet n - n - - smtpd -o smtpd_upstream_proxy_protocol=haproxy"],
            output: output)
        try Spawn.run("/usr/sbin/postfix", ["-c", configDirectory, "start"], output: output)
        // The probe comes from 127.0.0.9, so a log line with 127.0.0.1 can only be the forwarder's.
        _ = try await Poll.until("the private Postfix to listen on \(port)", attempts: 100, interval: 0.1) { () -> Bool? in
            (try? await TestClient(port: port, timeout: 5, source: "127.0.0.9")) != nil ? true : nil
        }
    }

    /// SIGTERM to the master (it stops its children), then wait until it is gone.
    func stop() async {
        guard let text = try? String(contentsOfFile: "\(root)/queue/pid/master.pid", encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), kill(pid, SIGTERM) == 0
        else { return }
        try? await ProcessExit.wait(for: pid, "the Postfix master \(pid) to exit", timeout: .seconds(10))
    }

    func log() -> [String] {
        ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
