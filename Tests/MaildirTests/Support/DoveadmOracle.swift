import Foundation
import Glibc
import Testing
@testable import Maildir

extension Tag {
    /// Tests that read this code's output back through Debian's real `doveadm`.
    @Tag static var doveadm: Self
}

/// Reads a Maildir through the real Dovecot (`doveadm` with a throwaway configuration, run
/// as the unprivileged user `nobody`, since Dovecot refuses mail access as root): the
/// oracle for what this code writes.
struct DoveadmOracle {
    static let doveadm = "/usr/bin/doveadm"
    static let mailUID: UInt32 = 65534

    /// `doveadm` is installed and the tests run as root (needed to act as `nobody`). When
    /// `MAILFERRY_REQUIRE_TESTBED=1`, a missing Dovecot is a failure, not a skip.
    static var isAvailable: Bool {
        let available = access(doveadm, X_OK) == 0 && geteuid() == 0
        if !available, ProcessInfo.processInfo.environment["MAILFERRY_REQUIRE_TESTBED"] == "1" {
            Issue.record("doveadm is required (MAILFERRY_REQUIRE_TESTBED=1) but not usable here")
        }
        return available
    }

    /// Files created for `nobody`, as Dovecot needs them.
    static let ownership = MaildirOwnership(uid: mailUID, gid: mailUID)

    let configPath: String
    let home: String

    /// `maildir` must be inside `home`; both must be reachable by `nobody`.
    init(directory: TemporaryDirectory, maildir: String, layout: DovecotLayout) {
        chmod(directory.path, 0o755)
        home = directory.path
        let run = directory.path("oracle-run")
        directory.makeDirectories(run)
        chown(run, DoveadmOracle.mailUID, DoveadmOracle.mailUID)
        let utf8 = layout.encoding == .utf8 ? ":UTF-8" : ""
        configPath = directory.write("oracle-dovecot.conf", """
            base_dir = \(run)
            state_dir = \(run)
            log_path = /dev/stderr
            ssl = no
            protocols =
            mail_location = maildir:\(maildir)\(utf8)
            namespace inbox {
              inbox = yes
              prefix = \(layout.namespacePrefix)
              separator = \(layout.namespaceSeparator)
            }

            """)
    }

    /// Run doveadm as `nobody`; returns stdout, records stderr as an issue on failure.
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=\(DoveadmOracle.mailUID)", "--regid=\(DoveadmOracle.mailUID)", "--clear-groups",
            "env", "-i", "HOME=\(home)", "USER=nobody", "PATH=/usr/bin:/bin", DoveadmOracle.doveadm, "-c", configPath] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 || errorText.contains("Error") || errorText.contains("Warning") {
            Issue.record("doveadm \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(errorText)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `mailbox status` as a dictionary (`messages`, `uidvalidity`, `uidnext`).
    func status(_ mailbox: String) throws -> [String: String] {
        let line = try run(["-f", "flow", "mailbox", "status", "messages uidvalidity uidnext", mailbox])
        var result: [String: String] = [:]
        for part in line.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { result[String(pair[0])] = String(pair[1]) }
        }
        return result
    }

    /// `fetch` of the given fields for every message, one dictionary per message.
    func fetch(_ fields: [String], mailbox: String) throws -> [[String: String]] {
        let text = try run(["-f", "tab", "fetch", fields.joined(separator: " "), "mailbox", mailbox, "all"])
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let values = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (index, key) in header.enumerated() where index < values.count { row[key] = values[index] }
            return row
        }
    }

    /// Subscribed folder names.
    func subscribed() throws -> [String] {
        try run(["mailbox", "list", "-s"]).split(separator: "\n").map(String.init)
    }
}
