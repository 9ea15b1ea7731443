import Foundation
import Synchronization
import TestbedClient

/// The accounts of `scripts/bench accounts`: a fixed set of small Courier accounts (the
/// source) and, per tool, a fixed set of Dovecot accounts emptied before every round, so a
/// hundred accounts are created once, not once per run (each `adduser` reloads Postfix).
struct AccountsBenchFleet {
    var sources: [TestbedUser]
    /// Destination accounts per tool, index for index with ``sources``.
    var destinations: [SyncTool: [TestbedUser]]

    static func name(_ prefix: String, _ index: Int) -> String { prefix + String(format: "%03d", index + 1) }

    /// Creates (or redefines) the accounts and fills every source with `messages` small
    /// messages in INBOX and `folders` more folders (`mailferry-corpus --replace`, one call).
    static func prepare(rig: SyncBenchRig, accounts: Int, messages: Int, folders: Int, tools: [SyncTool]) async throws -> AccountsBenchFleet {
        let sources = try rig.ensureAccounts((0..<accounts).map { name("tbacct", $0) })
        var destinations: [SyncTool: [TestbedUser]] = [:]
        for tool in tools {
            destinations[tool] = try rig.ensureAccounts((0..<accounts).map { name("tbac" + tool.rawValue.prefix(2), $0) })
        }
        try ExternalProgram.run(rig.binary("mailferry-corpus"), [
            "--testbed", (rig.testbed.stateDir as NSString).appendingPathComponent("testbed.json"),
            "--accounts", sources.map(\.name).joined(separator: ","),
            "--messages", String(messages), "--large", "0", "--folders", String(folders), "--replace", "--quiet",
        ])
        return AccountsBenchFleet(sources: sources, destinations: destinations)
    }

    /// Reads every source account once over IMAP (Courier builds its UID databases on first
    /// access, which no tool should pay for) and returns the fleet's totals.
    func warmUp(rig: SyncBenchRig) async throws -> Census {
        var census = Census()
        for source in sources {
            let totals = try await ReadBound.readAll(rig.sourceEndpoint, try rig.sourceCredentials(source))
            census.folders += totals.folders
            census.messages += totals.messages
            census.bytes += totals.bytes
        }
        return census
    }

    /// Removes `tool`'s destination Maildirs (Dovecot makes them again at the first login).
    func empty(_ tool: SyncTool) throws {
        for user in destinations[tool] ?? [] where FileManager.default.fileExists(atPath: user.newMaildir) {
            try FileManager.default.removeItem(atPath: user.newMaildir)
        }
    }

    /// What `tool`'s destination accounts hold, counted from Dovecot's files: every `cur/`
    /// and `new/` of each Maildir folder (Dovecot's own count would be a `doveadm` process
    /// per account).
    func census(_ tool: SyncTool) -> Census {
        var census = Census()
        let files = FileManager.default
        for user in destinations[tool] ?? [] {
            let folders = [user.newMaildir] + ((try? files.contentsOfDirectory(atPath: user.newMaildir)) ?? [])
                .filter { $0.hasPrefix(".") && $0 != "." && $0 != ".." }.map { user.newMaildir + "/" + $0 }
            for folder in folders where files.fileExists(atPath: folder + "/cur") {
                census.folders += 1
                for part in ["cur", "new"] {
                    for name in (try? files.contentsOfDirectory(atPath: folder + "/" + part)) ?? [] {
                        census.messages += 1
                        let attributes = try? files.attributesOfItem(atPath: folder + "/" + part + "/" + name)
                        census.bytes += (attributes?[.size] as? Int) ?? 0
                    }
                }
            }
        }
        return census
    }

    /// `mailferry sync --config`'s file for the whole fleet: `jobs` accounts at a time, one
    /// folder at a time each, so each account holds one connection per server, as one mbsync
    /// process does. Passwords stay in the testbed's files.
    func mailferryConfig(rig: SyncBenchRig, jobs: Int, directory: String) throws -> String {
        let testbed = rig.testbed
        let master = try rig.masterUser
        let pairs = zip(sources, destinations[.mailferry] ?? []).map { "\($0.name) \($1.name)" }
        let accountsFile = (directory as NSString).appendingPathComponent("accounts.txt")
        try (pairs.joined(separator: "\n") + "\n").write(toFile: accountsFile, atomically: true, encoding: .utf8)
        let tls = rig.startTLS ? "starttls = true\nca_file = \"\(testbed.caFile)\"" : "starttls = false"
        let secrets = (testbed.stateDir as NSString).appendingPathComponent("secrets")
        let text = """
            accounts_file = "\(accountsFile)"

            [source]
            url = "imap://\(testbed.old.imap.host):\(testbed.old.imap.port)"
            password_file = "\(secrets)/{user}.password"
            \(tls)

            [destination]
            url = "imap://\(testbed.new.imap.host):\(testbed.new.imap.port)"
            master_user = "\(master.name)"
            master_password_file = "\(master.passwordFile)"
            \(tls)

            [sync]
            state = "\((directory as NSString).appendingPathComponent("state"))"
            jobs = \(jobs)
            max_connections_per_server = \(jobs)
            folders_in_parallel = 1

            """
        let path = (directory as NSString).appendingPathComponent("mailferry.toml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs one mbsync process per account, `jobs` at a time, each with its own config and
    /// state under `directory`; returns the wall time of the whole fleet and the failed runs.
    func runMbsync(rig: SyncBenchRig, jobs: Int, directory: String) throws -> (seconds: Double, failures: [String]) {
        let destinations = destinations[.mbsync] ?? []
        let commands = try zip(sources, destinations).enumerated().map { index, pair in
            let accountDirectory = try rig.directory(((directory as NSString).lastPathComponent) + "/mbsync-\(index)")
            return (try SyncTool.mbsync.command(source: pair.0, destination: pair.1, directory: accountDirectory, rig: rig), accountDirectory)
        }
        let next = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let seconds = measure {
            DispatchQueue.concurrentPerform(iterations: jobs) { _ in
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < commands.count else { return }
                    let (command, accountDirectory) = commands[index]
                    do {
                        let run = try command.run(in: accountDirectory)
                        if run.status != 0 { failures.withLock { $0.append("mbsync \(sources[index].name): exit \(run.status): \(run.tail)") } }
                    } catch {
                        failures.withLock { $0.append("mbsync \(sources[index].name): \(error)") }
                    }
                }
            }
        }
        return (seconds, failures.withLock { $0 })
    }
}
