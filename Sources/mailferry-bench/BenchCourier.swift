import TestbedClient

/// What a mail client does to a Courier account before a migration: open every folder, so
/// Courier writes its UID database for each.
enum BenchCourier {
    static func openEveryFolder(_ testbed: Testbed, _ user: TestbedUser) async throws {
        let session = try await IMAPTestSession(testbed.old.imap)
        guard try await session.login(user.name, try user.password()).isOK else { throw BenchError("Courier login failed for \(user.name)") }
        for line in try await session.command("LIST \"\" \"*\"").untagged where line.hasPrefix("* LIST") && !line.contains("\\Noselect") {
            guard let quote = line.dropLast().lastIndex(of: "\"") else { continue }
            let name = String(line[line.index(after: quote)..<line.index(before: line.endIndex)])
            guard try await session.command("SELECT \(IMAPTestSession.quoted(name))").isOK else { throw BenchError("SELECT \(name) failed") }
        }
        _ = try await session.command("LOGOUT")
    }
}
