import Foundation
import MailferryConfig
import Testing

@testable import Migration

/// `mailferry config check`: which kind a file is, and the kind's own strict loader.
@Suite struct ConfigFileTests {
    static let migration = "[source]\nurl = \"imap://old\"\n[destination]\nurl = \"imap://new\"\n[[accounts]]\nuser = \"alice\"\n"
    static let mirror = "[spool]\ndirectory = \"/var/spool/mailferry\"\n[[shadow]]\nshadow = \"ex.mirror.invalid\"\nreal = \"ex.com\"\n[destination]\nhost = \"127.0.0.1\"\n"

    func check(_ text: String) throws -> ConfigFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ConfigFile.check(path: path)
    }

    @Test func tellsTheKindsApart() throws {
        #expect(try check(Self.migration) == .migration)
        #expect(try check(Self.mirror) == .mirror)
    }

    @Test(arguments: [
        (migration + "[sync]\njbos = 2\n", "sync.jbos (line 8)"),
        (mirror + "prot = 25\n", "destination.prot (line 8)"),
        (mirror.replacingOccurrences(of: "real =", with: "real = \"ex.com\"\nreel ="), "shadow[0].reel (line 6)"),
        ("[destination]\nhost = \"x\"\n", "not a mailferry config"),
        (migration + "[spool]\ndirectory = \"/x\"\n", "use two files"),
        ("[source\n", "line 1"),
    ])
    func refuses(text: String, expected: String) {
        #expect { _ = try check(text) } throws: { "\($0)".contains(expected) }
    }

    @Test func theShippedExamplesAreValid() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../examples").standardized.path
        for name in ["mailferry.toml", "mirror.toml", "testbed.toml"] {
            let path = examples + "/" + name
            let expected: ConfigFile = name == "mirror.toml" ? .mirror : .migration
            #expect(try ConfigFile.check(path: path) == expected, "\(name)")
        }
    }
}
