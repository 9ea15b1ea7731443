import Forward
import Foundation
import MailferryConfig
import Testing

@testable import Migration

/// The `[forward]` table, read through the one config reader (unknown keys are errors).
@Suite struct ForwardSettingsTests {
    func load(_ text: String) throws -> ForwardSettings {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("forward-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ForwardSettings.load(path: path)
    }

    static let minimal = "[forward]\n[[forward.listener]]\nname = \"imap\"\nlisten = \"143\"\nupstream = \"new.example.org:10143\"\n"

    @Test func readsListenersWithDefaults() throws {
        let settings = try load(Self.minimal)
        #expect(
            settings.configuration.listeners == [
                .init(name: "imap", listen: .init(host: "0.0.0.0", port: 143), upstream: .init(host: "new.example.org", port: 10143))
            ])
        #expect(settings.configuration.idleTimeout == ForwardConfiguration.defaultIdleTimeout)
        #expect(settings.grace == ForwardSettings.defaultGrace)
    }

    @Test func readsEveryLimit() throws {
        let text = Self.minimal.replacingOccurrences(
            of: "[forward]\n",
            with: "[forward]\nmax_connections = 10\nmax_connections_per_source = 2\nconnect_timeout = \"3s\"\nidle_timeout = \"40m\"\ngrace = \"5m\"\nbuffer_size = 8192\n")
        let settings = try load(text)
        #expect(settings.configuration.maxConnections == 10)
        #expect(settings.configuration.maxConnectionsPerSource == 2)
        #expect(settings.configuration.connectTimeout == .seconds(3))
        #expect(settings.configuration.idleTimeout == .seconds(2400))
        #expect(settings.configuration.bufferSize == 8192)
        #expect(settings.grace == .seconds(300))
    }

    @Test(arguments: [
        (minimal + "idel_timeout = 3\n", "unknown setting forward.listener[0].idel_timeout"),
        (minimal.replacingOccurrences(of: "[forward]\n", with: "[forward]\nmax_conections = 3\n"), "unknown setting forward.max_conections (line 2)"),
        (minimal.replacingOccurrences(of: "new.example.org:10143", with: "new.example.org"), "forward.listener[0].upstream \"new.example.org\" is not \"host:port\""),
        (minimal.replacingOccurrences(of: "listen = \"143\"", with: "listen = \"0.0.0.0:99999\""), "is not \"host:port\" or a port"),
        (minimal.replacingOccurrences(of: "name = \"imap\"\n", with: ""), "setting forward.listener[0].name is missing"),
        ("[forward]\n", "no listeners"),
        (minimal.replacingOccurrences(of: "[forward]\n", with: "[forward]\nmax_connections = 0\n"), "max_connections must be at least 1"),
        (minimal.replacingOccurrences(of: "[forward]\n", with: "[forward]\nidle_timeout = \"soon\"\n"), "forward.idle_timeout must be a duration"),
        ("[forwrd]\n", "no [forward] table"),
    ])
    func refuses(text: String, expected: String) {
        #expect { _ = try load(text) } throws: { "\($0)".contains(expected) }
    }

    @Test func configCheckKnowsAForwardFileAndTheExampleIsValid() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../examples").standardized.path
        #expect(try ConfigFile.check(path: examples + "/forward.toml") == .forward)
        let settings = try ForwardSettings.load(path: examples + "/forward.toml")
        #expect(settings.configuration.listeners.map(\.name) == ["imap", "imaps", "pop3", "pop3s", "submission", "submissions"])
    }
}
