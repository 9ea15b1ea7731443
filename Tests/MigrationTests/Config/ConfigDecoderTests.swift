import Foundation
import MailferryConfig
import Testing

@testable import Migration

/// The one config mechanism, every file kind through it: good files load, and a bad one gets
/// one error that starts with the file's name and names the setting (with its line when the
/// setting is unknown).
@Suite struct ConfigDecoderTests {
    static let migration = "[source]\nurl = \"imap://old\"\n[destination]\nurl = \"imap://new\"\n[[accounts]]\nuser = \"alice\"\n"
    static let mirror = "[spool]\ndirectory = \"/var/spool/mailferry\"\n[[shadow]]\nshadow = \"ex.mirror.invalid\"\nreal = \"ex.com\"\n[destination]\nhost = \"127.0.0.1\"\n"
    static let forward = "[forward]\n[[forward.listener]]\nname = \"imap\"\nlisten = \"143\"\nupstream = \"new.example.org:10143\"\n"
    static let cutover = migration + """
        [cutover]
        domains = ["example.com"]
        [cutover.old]
        host = "local"
        [cutover.new]
        relay_host = "192.0.2.7"
        deliver_locally_command = ["/bin/true"]
        relay_to_old_command = ["/bin/true"]
        close_logins_command = ["/bin/true"]
        open_logins_command = ["/bin/true"]

        """

    /// Reads `text` as `config check` does: its kind, then that kind's loader.
    static func check(_ text: String) throws(ConfigError) -> ConfigFile {
        let kind = try ConfigFile.kind(of: text, origin: "c.toml")
        try kind.check(text, origin: "c.toml")
        return kind
    }

    @Test(arguments: [
        (migration, ConfigFile.migration),
        (migration + "[sync]\njobs = 2\nbandwidth = \"20MB\"\n", .migration),
        (cutover, .migration),
        (cutover + "[cutover.drain]\nttl = \"2h\"\nmargin = \"30m\"\n", .migration),
        (mirror, .mirror),
        (mirror + "[retry]\nminimal_backoff = 30\nmaximal_lifetime = \"5d\"\n", .mirror),
        ("[listen]\nport = 10026\ncommand_timeout = \"5m\"\n" + mirror, .mirror),
        (forward, .forward),
        (forward.replacingOccurrences(of: "[forward]\n", with: "[forward]\ngrace = \"2m\"\nmax_connections = 5\n"), .forward),
    ])
    func goodFilesLoad(text: String, kind: ConfigFile) throws {
        #expect(try Self.check(text) == kind)
    }

    @Test(arguments: [
        // Unknown settings: the name as written, with its line.
        (migration + "[sync]\njbos = 2\n", "c.toml: unknown setting sync.jbos (line 8) (see examples/mailferry.toml)"),
        ("colour = 1\n" + migration, "c.toml: unknown setting colour (line 1) (see examples/mailferry.toml)"),
        (migration + "[sync]\njbos = 2\nstat = \"x\"\n", "c.toml: unknown settings sync.jbos (line 8), sync.stat (line 9) (see examples/mailferry.toml)"),
        (cutover + "[cutover.drain]\ntll = \"2h\"\n", "c.toml: unknown setting cutover.drain.tll (line 18) (see examples/mailferry.toml)"),
        (mirror + "prot = 25\n", "c.toml: unknown setting destination.prot (line 8) (see examples/mirror.toml)"),
        (mirror.replacingOccurrences(of: "real =", with: "real = \"ex.com\"\nreel ="), "c.toml: unknown setting shadow[0].reel (line 6)"),
        (forward + "idel_timeout = 3\n", "c.toml: unknown setting forward.listener[0].idel_timeout (line 6) (see examples/forward.toml)"),
        // Wrong types and missing settings: the setting's name.
        (migration.replacingOccurrences(of: "\"imap://old\"", with: "1"), "c.toml: setting source.url is of the wrong type (an integer here)"),
        (migration + "[sync]\njobs = \"two\"\n", "c.toml: setting sync.jobs is of the wrong type (a string here)"),
        ("accounts = \"alice\"\n" + migration.replacingOccurrences(of: "[[accounts]]\nuser = \"alice\"\n", with: ""), "c.toml: setting accounts should be an array (a string here)"),
        ("source = \"imap://old\"\n" + migration.replacingOccurrences(of: "[source]\nurl = \"imap://old\"\n", with: ""), "c.toml: setting source should be a table (a string here)"),
        (mirror.replacingOccurrences(of: "host = \"127.0.0.1\"", with: "host = [\"a\"]"), "c.toml: setting destination.host is of the wrong type (an array here)"),
        (mirror.replacingOccurrences(of: "directory = \"/var/spool/mailferry\"", with: "dir = \"/x\""), "c.toml: setting spool.directory is missing"),
        (forward.replacingOccurrences(of: "name = \"imap\"\n", with: ""), "c.toml: setting forward.listener[0].name is missing"),
        (forward.replacingOccurrences(of: "listen = \"143\"", with: "listen = 143"), "c.toml: setting forward.listener[0].listen is of the wrong type (an integer here)"),
        // Durations, one parser for every kind.
        (mirror + "[retry]\nmaximal_backoff = \"soon\"\n", "c.toml: setting retry.maximal_backoff must be a duration"),
        (cutover + "[cutover.drain]\nttl = \"soon\"\n", "c.toml: cutover.drain.ttl \"soon\" is not a duration"),
        (forward.replacingOccurrences(of: "[forward]\n", with: "[forward]\ngrace = \"-1s\"\n"), "c.toml: setting forward.grace must be a duration"),
        // Syntax, and what the kinds' loaders check beyond types.
        ("[source\n", "c.toml: TOML syntax error at line 1"),
        ("[\u{E9}]\n", "c.toml:1: a table name must start with"),
        (migration + "[spool]\ndirectory = \"/x\"\n", "c.toml: [source] belongs in a migration config"),
        ("[destination]\nhost = \"x\"\n", "c.toml: not a mailferry config"),
        (mirror.replacingOccurrences(of: "host = \"127.0.0.1\"", with: "host = \"h\"\ntls = \"maybe\""), "c.toml: destination.tls must be \"none\""),
        (forward.replacingOccurrences(of: "new.example.org:10143", with: "new.example.org"), "c.toml: forward.listener[0].upstream \"new.example.org\" is not \"host:port\""),
    ])
    func badFilesGetOneClearError(text: String, expected: String) {
        #expect { _ = try Self.check(text) } throws: { "\($0)".hasPrefix(expected) }
    }

    /// The unknown-setting error comes from every loader on its own too (`sync --config`,
    /// `mirror --config` and `forward --config` do not ask `config check` first).
    @Test func eachLoaderIsStrictOnItsOwn() {
        #expect { _ = try MigrationConfig.parse("jobs = 3\n" + Self.migration, origin: "m.toml") } throws: { "\($0)".hasPrefix("m.toml: unknown setting jobs (line 1)") }
        #expect { _ = try MirrorConfiguration.parse(Self.mirror + "tsl = \"none\"\n", origin: "r.toml") } throws: { "\($0)".hasPrefix("r.toml: unknown setting destination.tsl (line 8)") }
        #expect { _ = try ForwardSettings.parse(Self.forward + "nmae = \"x\"\n", origin: "f.toml") } throws: { "\($0)".hasPrefix("f.toml: unknown setting forward.listener[0].nmae (line 6)") }
    }
}

/// A config file is UTF-8 text: other bytes are named as the file's fault, never replaced
/// (a replaced byte in a domain or a path would silently change a setting).
@Suite struct ConfigFileBytesTests {
    @Test func aFileThatIsNotUTF8IsRefused() throws {
        let path = "/tmp/config-bytes-\(UInt64.random(in: 0...UInt64.max)).toml"
        let bytes: [UInt8] = Array("[spool]\ndirectory = \"/var/spool/m".utf8) + [0xFF, 0xFE] + Array("\"\n".utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { _ = try MirrorConfiguration.load(path: path) } throws: { "\($0)" == "\(path): not UTF-8 text (a TOML file is UTF-8)" }
        #expect { _ = try ConfigFile.check(path: path) } throws: { "\($0)".hasPrefix("\(path): not UTF-8") }
    }

    @Test func aMissingFileIsNamed() {
        #expect { _ = try ForwardSettings.load(path: "/nonexistent/forward.toml") } throws: { "\($0)".hasPrefix("cannot read /nonexistent/forward.toml") }
    }
}
