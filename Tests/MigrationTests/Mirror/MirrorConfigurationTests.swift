import Foundation
import MailferryConfig
import MailModel
import Relay
import SMTPClient
import SMTPCodec
import SMTPServer
import Testing
@testable import Migration

@Suite struct MirrorConfigurationTests {
    static func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "mirror-config-\(UUID().uuidString).toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let examplePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/mirror.toml").path

    @Test func theShippedExampleIsValid() throws {
        let configuration = try MirrorConfiguration.load(path: Self.examplePath)
        #expect(configuration.listen.port == 10026)
        #expect(configuration.shadowDomains == ["example.com.mirror.invalid": "example.com"])
        #expect(configuration.destination.tls == .opportunistic)
        #expect(configuration.retry.maximalLifetime == .seconds(5 * 86_400))
        #expect(try MirrorServices.serverConfiguration(configuration.listen).session.lineEndingPolicy == .reject)
        // Issue 13.1: copies leave with mailferry's sender and ask for no notification.
        #expect(configuration.destination.bounceAddress.description == "bounces@mailferry.invalid")
        #expect(configuration.destination.clientConfiguration.notify == .never)
        // On loopback, the example's listener greets the local Postfix at once.
        #expect(configuration.listen.effectiveGreetingDelay == .zero)
    }

    /// Issue 13 item 10: without `greeting_delay`, a mirror reachable from other hosts still
    /// waits before its banner, so a client that talks first is refused (as postscreen's
    /// pregreet test does). On loopback its one client is the local Postfix, whose every new
    /// bcc connection would pay the delay, so there is none; an explicit setting always wins.
    @Test(arguments: [
        ("127.0.0.1", nil, Duration.zero),
        ("127.3.4.5", nil, .zero),
        ("::1", nil, .zero),
        ("[::1]", nil, .zero),
        ("localhost", nil, .zero),
        ("::ffff:127.0.0.1", nil, .zero),
        ("0.0.0.0", nil, SMTPDefaults.greetingDelay),
        ("::", nil, SMTPDefaults.greetingDelay),
        ("192.0.2.25", nil, SMTPDefaults.greetingDelay),
        ("2001:db8::25", nil, SMTPDefaults.greetingDelay),
        ("mirror.example.com", nil, SMTPDefaults.greetingDelay),
        ("127.0.0.1", "2s", .seconds(2)),
        ("0.0.0.0", "0s", .zero),
    ] as [(String, String?, Duration)])
    func earlyTalkersAreCheckedByDefault(address: String, setting: String?, expected: Duration) throws {
        let delay = setting.map { "greeting_delay = \"\($0)\"\n" } ?? ""
        let path = try Self.write("[listen]\naddress = \"\(address)\"\n\(delay)[spool]\ndirectory = \"/tmp/x\"\n"
            + "[[shadow]]\nshadow = \"a.invalid\"\nreal = \"a.test\"\n[destination]\nhost = \"h\"\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try MirrorConfiguration.load(path: path)
        #expect(configuration.listen.effectiveGreetingDelay == expected)
        #expect(try MirrorServices.serverConfiguration(configuration.listen).greetingDelay == expected)
    }

    @Test(arguments: [
        ("[spool]\ndirectory = \"/tmp/x\"\n[destination]\nhost = \"h\"\n", "at least one [[shadow]]"),
        ("[spool]\ndirectory = \"/tmp/x\"\n[[shadow]]\nshadow = \"a.invalid\"\nreal = \"a.test\"\n", "[destination] is required"),
        ("[spool]\ndirectory = \"/tmp/x\"\n[[shadow]]\nshadow = \"a.invalid\"\nreal = \"a.test\"\n[destination]\nhost = \"h\"\nprot = 25\n", "unknown setting destination.prot"),
        ("[spool]\ndirectory = \"/tmp/x\"\n[[shadow]]\nshadow = \"a.invalid\"\nreal = \"a.test\"\n[destination]\nhost = \"h\"\ntls = \"maybe\"\n", "must be \"none\""),
        ("[spool]\ndirectory = \"/tmp/x\"\n[[shadow]]\nshadow = \"a.invalid\"\nreal = \"a.test\"\n[destination]\nhost = \"h\"\n[retry]\nmaximal_lifetime = \"soon\"\n", "must be a duration"),
        ("[spool]\ndirectory = \"/tmp/x\"\n[[shadow]]\nshadow = \"a.invalid\"\nreal = \"a.test\"\n[destination]\nhost = \"h\"\nnotify = \"always\"\n", "must be \"never\" or \"failure\""),
        ("[spool]\ndirectory = \"/tmp/x\"\n[[shadow]]\nshadow = \"a.invalid\"\nreal = \"a.test\"\n[destination]\nhost = \"h\"\nbounce_address = \"nobody\"\n", "bounce_address must be a mailbox"),
        ("[spool\n", "TOML syntax error"),
    ])
    func rejectsBadConfigurationsClearly(text: String, message: String) throws {
        let path = try Self.write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try MirrorConfiguration.load(path: path)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    /// Found by mutating the example configs: a table name starting with a non-ASCII or
    /// control character aborted the process in TOMLKit's parser. Every loader now refuses it.
    @Test(arguments: ["[\u{E9}]\n", "[ \u{E9}]\n", "[\u{FFFD}\u{FFFD}retry]\nmaxis\"\n[sp", "[[\u{E9}]]\n", "a = 1\n  [\u{2192}x]\n", "[\u{1C}shadow]]\nx = 1\n", "[[[shadow]]\n", "[ [shadow]]\n", "[\n", "x = 1\n["])
    func nonASCIITableNamesAreErrors(text: String) {
        #expect(throws: ConfigError.self) { try MirrorConfiguration.parse(text, origin: "fixture.toml") }
        #expect(throws: ConfigError.self) { try MigrationConfig.parse(text, origin: "fixture.toml") }
        #expect(throws: ConfigError.self) { try ForwardSettings.parse(text, origin: "fixture.toml") }
        #expect(throws: ConfigError.self) { try ConfigFile.kind(of: text, origin: "fixture.toml") }
    }
}

@Suite struct MirrorInPathConfigurationTests {
    static let base = "[spool]\ndirectory = \"/tmp/x\"\n[destination]\nhost = \"h\"\n"

    @Test func primaryMakesShadowDomainsOptional() throws {
        let path = try MirrorConfigurationTests.write(Self.base + "[primary]\nhost = \"127.0.0.1\"\nport = 10025\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try MirrorConfiguration.load(path: path)
        #expect(configuration.primary?.port == 10025)
        #expect(configuration.primary?.tls == SMTPTLSPolicy.none)
    }

    /// In-path mode must never refuse mail the primary would accept: bare LF/CR, NUL octets,
    /// long lines and large header sections pass (Postfix 3.7 takes them all); the shadow
    /// endpoint keeps its strict defaults.
    @Test func inPathModeAcceptsInDataWhatThePrimaryAccepts() throws {
        let path = try MirrorConfigurationTests.write(Self.base + "[primary]\nhost = \"127.0.0.1\"\nport = 10025\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try MirrorConfiguration.load(path: path)
        let inPath = try MirrorServices.serverConfiguration(configuration.listen, inPath: configuration.primary != nil).session
        #expect(inPath.lineEndingPolicy == .normalize)
        #expect(inPath.acceptsNULInData)
        #expect(inPath.textLineLimit == .max && inPath.headerSizeLimit == .max)
        #expect(inPath.messageSizeLimit == SMTPDefaults.messageSizeLimit)

        let shadow = try MirrorServices.serverConfiguration(MirrorConfiguration.Listen()).session
        #expect(shadow.lineEndingPolicy == .reject && !shadow.acceptsNULInData)
        #expect(shadow.textLineLimit == SMTPDefaults.textLineLimit && shadow.headerSizeLimit == SMTPDefaults.headerSizeLimit)

        var strict = configuration.listen
        strict.lineEndings = .reject
        #expect(try MirrorServices.serverConfiguration(strict, inPath: true).session.lineEndingPolicy == .reject, "an explicit choice wins")
    }

    @Test(arguments: [
        "[primary]\nhost = \"127.0.0.1\"\n[[shadow]]\nshadow = \"a.invalid\"\nreal = \"a.test\"\n",
        "[primary]\nhost = \"127.0.0.1\"\ntls = \"required\"\n",
    ])
    func rejectsContradictions(extra: String) throws {
        let path = try MirrorConfigurationTests.write(Self.base + extra)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ConfigError.self) { try MirrorConfiguration.load(path: path) }
    }
}
