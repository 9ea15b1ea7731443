import Cutover
import Foundation
import MailTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `mailferry cutover run` as a process, killed with SIGKILL inside the hold and inside the
/// switch (by the step's own configured command, which kills its mailferry the first time it
/// runs), then run again: it resumes from the journal and ends with every message once in
/// the new store, through the real Maildir sync and verify, between two private Postfix
/// instances.
@Suite(.serialized, .tags(.integration), .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct CutoverKillTests {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/mailferry")
        .standardized.path

    /// argv that SIGKILLs the mailferry that runs it (its grandparent: mailferry -> timeout(1)
    /// -> sh) once: the flag file makes the second run a no-op.
    static func killOnce(flag: String) -> String {
        "[\"/bin/sh\", \"-c\", \"test -e \(flag) || { touch \(flag); kill -9 $(awk '{print $4}' /proc/$PPID/stat); }\"]"
    }

    /// Runs `mailferry arguments` to its end (or its kill), waiting on a test-client thread.
    func run(_ arguments: [String]) async throws -> (status: Int32, signalled: Bool, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        return try await LineSocket.blocking {
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, process.terminationReason == .uncaughtSignal, String(decoding: data, as: UTF8.self))
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the built mailferry"))
    func killedInTheHoldAndTheSwitchItResumesAndLosesNothing() async throws {
        try await PrivatePostfix.with("kill-new", hostname: "mx.new.cutover.test") { new in
            try await PrivatePostfix.with("kill-old", hostname: "mx.old.cutover.test") { old in
                let state = NSTemporaryDirectory() + "mailferry-cutover-kill-\(UUID().uuidString.prefix(8))"
                try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: state) }
                var subjects: [String] = []
                for index in 0..<4 {
                    let subject = "before-\(index)"
                    try await old.sendSMTP(to: "\(PrivatePostfix.users[index % 2])@\(PrivatePostfix.domain)", subject: subject)
                    subjects.append(subject)
                }
                try await old.waitFor("mail in the old store") { PrivatePostfix.users.allSatisfy { old.delivered(to: $0).count == 2 } }
                let config = "\(state)/cutover.toml"
                try """
                    [source]
                    url = "maildir:\(old.mailRoot)/{user}"
                    [destination]
                    url = "maildir:\(new.mailRoot)/{user}?format=dovecot"
                    owner = "65534:65534"
                    [sync]
                    state = "\(state)/state"
                    [[accounts]]
                    user = "alice"
                    [[accounts]]
                    user = "bob"
                    [cutover]
                    domains = ["\(PrivatePostfix.domain)"]
                    [cutover.old]
                    host = "local"
                    postfix = "\(old.configDirectory)"
                    mail_root = "\(old.mailRoot)"
                    stop_imap_command = \(Self.killOnce(flag: "\(state)/killed-in-hold"))
                    start_imap_command = ["/bin/true"]
                    [cutover.new]
                    postfix = "\(new.configDirectory)"
                    relay_host = "\(new.address)"
                    relay_port = \(new.port)
                    deliver_locally_command = \(Self.killOnce(flag: "\(state)/killed-in-switch"))
                    relay_to_old_command = ["/bin/true"]
                    close_logins_command = ["/bin/true"]
                    open_logins_command = ["/bin/true"]
                    [cutover.drain]
                    ttl = "0s"
                    margin = "0s"
                    """.write(toFile: config, atomically: true, encoding: .utf8)

                // First run: killed in the hold phase, inside stop-old-imap (started, never
                // finished): the resume must run it again before holding.
                let first = try await run(["cutover", "run", "--config", config])
                #expect(first.signalled && first.status == SIGKILL, "\(first.output)")
                let afterFirst = try await run(["cutover", "status", "--config", config, "--json"]).output
                #expect(afterFirst.contains("\"interrupted\" : \"stop-old-imap\""), "\(afterFirst)")
                for index in 0..<3 {
                    let subject = "between-\(index)"
                    #expect(try await old.sendSMTP(to: "alice@\(PrivatePostfix.domain)", subject: subject).hasPrefix("250"))
                    subjects.append(subject)
                }
                // Second run: killed in the switch, inside deliver-locally-on-new, with the old
                // Postfix holding; mail arriving while nothing runs is held with 250.
                let second = try await run(["cutover", "run", "--config", config])
                #expect(second.signalled && second.status == SIGKILL, "\(second.output)")
                let afterSecond = try await run(["cutover", "status", "--config", config, "--json"]).output
                #expect(afterSecond.contains("\"interrupted\" : \"deliver-locally-on-new\""), "\(afterSecond)")
                #expect(afterSecond.contains("\"phase\" : \"switch\""), "\(afterSecond)")
                for index in 0..<2 {
                    let subject = "in-switch-\(index)"
                    #expect(try await old.sendSMTP(to: "bob@\(PrivatePostfix.domain)", subject: subject).hasPrefix("250"))
                    subjects.append(subject)
                }
                let third = try await run(["cutover", "run", "--config", config])
                #expect(third.status == 0 && !third.signalled, "\(third.output)")
                #expect(third.output.contains("Cutover finished."), "\(third.output)")

                try await old.waitFor("the old queue empty", timeout: .seconds(60)) { try await old.postfix.queue().isEmpty }
                let arrived = PrivatePostfix.users.flatMap { new.subjects(of: $0) }
                #expect(arrived.sorted() == subjects.sorted(), "every message exactly once in the new store")
                let status = try await run(["cutover", "status", "--config", config, "--json"])
                #expect(status.status == 0 && status.output.contains("\"next\" : \"finished\""), "\(status.output)")
            }
        }
    }
}
