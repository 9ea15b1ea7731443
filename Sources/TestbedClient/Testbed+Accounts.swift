import Foundation

extension Testbed {
    /// Creates a fresh account on both servers (`scripts/testbed adduser`) so a suite never
    /// shares mailboxes with another suite or an earlier run. The name is `tb`, up to 12
    /// letters or digits of `prefix`, and a random suffix; the password is random, in a file.
    /// With `quota`, the new side (Dovecot) refuses to store more than that for the account
    /// (`NO [OVERQUOTA]` on APPEND, `552 5.2.2` over LMTP); without, it has no limit.
    /// The script runs for a second or more (it reloads the servers): it is waited for on a
    /// test-client thread, never on the caller's cooperative one.
    public func makeAccount(prefix: String, quota: TestbedQuota? = nil) async throws -> TestbedUser {
        let cleaned = prefix.lowercased().filter { ($0.isASCII && $0.isLetter) || ($0.isASCII && $0.isNumber) }
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let name = "tb" + String(cleaned.prefix(12)) + suffix
        let arguments = ["adduser", name] + (quota.map { ["--quota", $0.storage] } ?? [])
        let result = try await Self.run(script, arguments, environment: ["MAILFERRY_TESTBED_DIR": stateDir])
        guard result.status == 0 else {
            throw TestbedUnavailable(reason: "\(script) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        let reloaded = try Testbed.load(from: URL(fileURLWithPath: stateDir).appendingPathComponent("testbed.json"))
        let user = try reloaded.user(name)
        // A scripts/testbed from before quotas ignores --quota: say so instead of letting a
        // test believe in a limit that is not there.
        guard user.quota == quota else {
            throw TestbedUnavailable(
                reason: "\(script) created \(name) with quota \(user.quota?.storage ?? "none") instead of \(quota?.storage ?? "none"): the running testbed predates quotas; restart it with this repository's scripts/testbed")
        }
        return user
    }

    /// Runs a program to completion, waiting on a test-client thread, and returns its exit
    /// status and output (a few lines: both are read after each other).
    static func run(_ program: String, _ arguments: [String], environment extra: [String: String] = [:]) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        return try await process.runCollectingOutput()
    }
}
