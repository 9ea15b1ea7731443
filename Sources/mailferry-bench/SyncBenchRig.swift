import Foundation
import IMAPClient
import MailModel
import TestbedClient

/// What the sync and verify benchmarks share: the testbed, the release binaries next to
/// mailferry-bench, a scratch directory, and the accounts they create.
///
/// Every tool gets a fresh destination account per run, so no tool ever sees another's
/// copies; the accounts are emptied (`scripts/testbed reset`) when the benchmark ends.
final class SyncBenchRig {
    let testbed: Testbed
    /// `mailferry` and `mailferry-corpus` from the same build as this benchmark.
    let binDirectory: String
    /// Scratch space: tool configs, state directories, outputs. Removed at the end.
    let workDirectory: String
    /// STARTTLS on both sides for every tool (the default), or plaintext on loopback.
    let startTLS: Bool
    private(set) var createdAccounts: [String] = []

    init(testbedPath: String?, startTLS: Bool) throws {
        if let testbedPath {
            testbed = try Testbed.load(from: URL(fileURLWithPath: testbedPath))
        } else {
            testbed = try Testbed.require()
        }
        binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        workDirectory = NSTemporaryDirectory() + "mailferry-bench-\(UUID().uuidString.prefix(8))"
        self.startTLS = startTLS
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        for tool in ["mailferry", "mailferry-corpus"] where !FileManager.default.isExecutableFile(atPath: binary(tool)) {
            throw BenchError("\(binary(tool)) is missing: build it with swift build -c release (scripts/bench builds it)")
        }
    }

    func binary(_ name: String) -> String { (binDirectory as NSString).appendingPathComponent(name) }

    /// A directory under the scratch space.
    func directory(_ name: String) throws -> String {
        let path = (workDirectory as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    var masterUser: TestbedMasterUser {
        get throws {
            guard let master = testbed.new.masterUser else { throw BenchError("the testbed's Dovecot has no master user") }
            return master
        }
    }

    var dovecotConfig: String {
        get throws {
            guard let config = testbed.new.dovecotConfig else { throw BenchError("testbed.json names no Dovecot config") }
            return config
        }
    }

    // MARK: - Accounts

    /// The account `name`, created (or redefined, empty quota) with `scripts/testbed adduser`.
    func ensureAccount(_ name: String) throws -> TestbedUser {
        try testbedScript(["adduser", name])
        return try reloadedTestbed().user(name)
    }

    /// The accounts `names`, created (or redefined) with one `scripts/testbed adduser` call:
    /// one testbed.json rewrite and one reload for all of them.
    func ensureAccounts(_ names: [String]) throws -> [TestbedUser] {
        try testbedScript(["adduser"] + names)
        let reloaded = try reloadedTestbed()
        return try names.map { try reloaded.user($0) }
    }

    /// A fresh account with a random name; emptied by ``cleanUp()``.
    func freshAccount(prefix: String) async throws -> TestbedUser {
        let user = try await testbed.makeAccount(prefix: prefix)
        createdAccounts.append(user.name)
        return user
    }

    /// Empties `name`'s mailboxes on both servers.
    func reset(_ name: String) throws { try testbedScript(["reset", name]) }

    /// Empties every account this rig created and removes the scratch directory (unless
    /// asked to keep them: then says where they are).
    func cleanUp(keepAccounts: Bool, keepFiles: Bool) {
        if !keepAccounts {
            for name in createdAccounts { try? reset(name) }
        } else if !createdAccounts.isEmpty {
            print("destination accounts kept: \(createdAccounts.joined(separator: " "))")
        }
        if keepFiles {
            print("configs, state and every run's output kept in \(workDirectory)")
        } else {
            try? FileManager.default.removeItem(atPath: workDirectory)
        }
    }

    private func testbedScript(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: testbed.script)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["MAILFERRY_TESTBED_DIR": testbed.stateDir]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("\(testbed.script) \(arguments.joined(separator: " ")) failed: \(String(decoding: text, as: UTF8.self))")
        }
    }

    private func reloadedTestbed() throws -> Testbed {
        try Testbed.load(from: URL(fileURLWithPath: testbed.stateDir).appendingPathComponent("testbed.json"))
    }

    // MARK: - Servers

    var sourceEndpoint: IMAPEndpoint {
        IMAPEndpoint(host: testbed.old.imap.host, port: testbed.old.imap.port, security: startTLS ? .startTLS : .none,
                     tls: IMAPTLSOptions(caFile: testbed.caFile))
    }

    var destinationEndpoint: IMAPEndpoint {
        IMAPEndpoint(host: testbed.new.imap.host, port: testbed.new.imap.port, security: startTLS ? .startTLS : .none,
                     tls: IMAPTLSOptions(caFile: testbed.caFile))
    }

    func sourceCredentials(_ user: TestbedUser) throws -> IMAPCredentials {
        .login(username: user.name, password: Secret(try user.password()))
    }

    /// Dovecot through the master user (SASL PLAIN with the account as authorization identity).
    func destinationCredentials(_ user: TestbedUser) throws -> IMAPCredentials {
        let master = try masterUser
        return .plain(authorizationIdentity: user.name, username: master.name, password: Secret(try master.password()))
    }

    /// What Dovecot holds for `user`, counted by Dovecot itself (`doveadm mailbox status`):
    /// the folders, messages and the sum of their sizes. A listed parent that is no folder
    /// (doveadm's and mbsync's copies have `Lists` above `Lists/debian-user`) makes doveadm
    /// complain and exit non-zero; the folders it did count are still printed.
    func census(_ user: TestbedUser) throws -> Census {
        let result = try ExternalProgram.capture("/usr/bin/doveadm", [
            "-c", try dovecotConfig, "mailbox", "status", "-u", user.name, "messages vsize", "*",
        ])
        guard result.status == 0 || !result.stdout.isEmpty else {
            throw BenchError("doveadm mailbox status -u \(user.name) failed: \(result.stderr)")
        }
        var census = Census()
        for line in result.stdout.split(separator: "\n") {
            var messages: Int?
            var size: Int?
            for field in line.split(separator: " ") {
                if field.hasPrefix("messages=") { messages = Int(field.dropFirst("messages=".count)) }
                if field.hasPrefix("vsize=") { size = Int(field.dropFirst("vsize=".count)) }
            }
            guard let messages, let size else { continue }
            census.folders += 1
            census.messages += messages
            census.bytes += size
        }
        return census
    }
}
