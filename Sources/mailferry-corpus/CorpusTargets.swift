import ArgumentParser
import CorpusGenerator
import Foundation

/// Where one account's corpus goes.
struct CorpusTarget {
    let user: String
    let maildir: String
    let owner: CorpusOwner?
    let manifest: String
}

enum CorpusTargets {
    /// The few fields of testbed.json the generator needs (the full schema is in README.md).
    struct TestbedFile: Decodable {
        struct Side: Decodable { let maildirPattern: String }
        struct User: Decodable { let name: String }
        let stateDir: String
        let old: Side
        let users: [User]
    }

    static func resolve(command: CorpusCommand) throws -> [CorpusTarget] {
        if let maildir = command.maildir {
            let owner = try command.owner.map { try CorpusOwner.lookup($0) }
            let name = command.owner ?? URL(fileURLWithPath: maildir).deletingLastPathComponent().lastPathComponent
            let trimmed = maildir.hasSuffix("/") ? String(maildir.dropLast()) : maildir
            return [CorpusTarget(user: name, maildir: maildir, owner: owner, manifest: command.manifest ?? trimmed + ".manifest.json")]
        }
        let path = try testbedPath(explicit: command.testbed)
        let testbed = try JSONDecoder().decode(TestbedFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let known = Set(testbed.users.map(\.name))
        return try command.accountNames.map { name in
            guard known.contains(name) else {
                throw ValidationError("\(name) is not a testbed account (scripts/testbed adduser \(name) creates it)")
            }
            return CorpusTarget(
                user: name, maildir: testbed.old.maildirPattern.replacingOccurrences(of: "{user}", with: name),
                owner: try CorpusOwner.lookup(name),
                manifest: command.manifest ?? "\(testbed.stateDir)/corpus/\(name).manifest.json")
        }
    }

    static func testbedPath(explicit: String?) throws -> String {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["MAILFERRY_TESTBED"], !env.isEmpty { return env }
        var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while true {
            let candidate = dir.appendingPathComponent(".testbed/testbed.json").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path {
                throw ValidationError("no testbed.json found (run scripts/testbed up, or pass --testbed or --maildir)")
            }
            dir = parent
        }
    }
}
