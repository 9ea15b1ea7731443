import Cutover

/// An account's home directory on the old host, from its passwd database (`getent passwd`),
/// which is what local(8), maildrop and Courier use.
enum OldHome {
    /// The home of `account` on `host`; nil when the host has no such user (a virtual
    /// account has no home of its own there).
    static func of(_ account: String, on host: any Cutover.Host) async throws -> String? {
        let output = try await host.run(HostCommand(["getent", "passwd", account], timeout: .seconds(30)))
        // getent: 2 is "no such key".
        if output.status == 2 { return nil }
        guard output.status == 0 else { throw CutoverError.commandFailed(host: host.name, output: output) }
        let fields = output.standardOutput.split(separator: "\n").first?.split(separator: ":", omittingEmptySubsequences: false) ?? []
        guard fields.count >= 6, fields[5].hasPrefix("/") else { return nil }
        return String(fields[5])
    }
}
