import Foundation
import Testing

@testable import MailferryConfig

@Suite struct MigrationConfigTests {
    @Test func theCommentedExampleLoads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/mailferry.toml").path
        let config = try MigrationConfig.load(path: path)
        #expect(config.source.url == "imap://old.example.com:143")
        #expect(config.destination.masterUser == "migrator")
        #expect(config.sync?.jobs == 4)
        #expect(config.folders?.map == ["INBOX.Old Stuff=Archive/Old"])
        #expect(try config.allAccounts().map(\.user) == ["alice", "bob"])
        #expect(config.accounts?[1].destinationUser == "robert")
    }

    @Test func unknownKeysAreErrors() {
        let text = """
            [source]
            url = "imap://a"
            pasword_file = "x"
            [destination]
            url = "imap://b"
            [[accounts]]
            user = "a"
            """
        #expect(throws: ConfigError.self) { try MigrationConfig.parse(text, origin: "t.toml") }
        do { _ = try MigrationConfig.parse(text, origin: "t.toml") } catch {
            #expect(error.description.contains("pasword_file"))
        }
    }

    @Test(arguments: [
        ("[source]\nurl = 1\n[destination]\nurl = \"imap://b\"\n[[accounts]]\nuser = \"a\"", "t.toml: setting source.url is of the wrong type (an integer here)"),
        ("[destination]\nurl = \"imap://b\"\n[[accounts]]\nuser = \"a\"", "t.toml: setting source is missing"),
        ("[source]\nurl = \"imap://a\"\n[destination]\nurl = \"imap://b\"", "no accounts"),
        ("[source]\nurl = \"imap://a\"\n[destination]\nurl = \"imap://b\"\n[sync]\njobs = 0\n[[accounts]]\nuser = \"a\"", "at least 1"),
        ("[source]\nurl = \"imap://a\"\n[destination]\nurl = \"imap://b\"\n[sync]\nbandwidth = \"fast\"\n[[accounts]]\nuser = \"a\"", "not a size"),
        ("[source]\nurl = \"imap://a\"\n[destination]\nurl = \"imap://b\"\n[[accounts]]\nuser = \"a\"\n[[accounts]]\nuser = \"a\"", "twice"),
        ("[source\nurl = 1", "line 1"),
    ])
    func badFilesGetAClearError(text: String, expected: String) {
        do {
            _ = try MigrationConfig.parse(text, origin: "t.toml")
            Issue.record("expected an error containing \(expected)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func accountsFileAndRelativePaths() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "alice\n# a comment\n\nbob robert  # renamed\n".write(to: directory.appendingPathComponent("accounts.txt"), atomically: true, encoding: .utf8)
        let config = try MigrationConfig.parse("""
            accounts_file = "accounts.txt"
            [source]
            url = "imap://a"
            password_file = "pw/{user}"
            [destination]
            url = "imap://b"
            """, origin: directory.appendingPathComponent("m.toml").path)
        #expect(try config.allAccounts() == [AccountConfig(user: "alice"), AccountConfig(user: "bob", destinationUser: "robert")])
        #expect(config.source.passwordFile == directory.appendingPathComponent("pw/{user}").path)
    }

    @Test func anAccountsFileWithPasswordsIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "alice alice secret\n".write(to: directory.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let config = try MigrationConfig.parse(
            "accounts_file = \"a.txt\"\n[source]\nurl = \"imap://a\"\n[destination]\nurl = \"imap://b\"",
            origin: directory.appendingPathComponent("m.toml").path)
        #expect(throws: ConfigError.self) { try config.allAccounts() }
    }
}
