import Forward
import MailferryConfig
import Testing

@testable import Migration

/// Every duration of every config file and flag is parsed by ``ConfigDuration``.
@Suite struct ConfigDurationTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("30s", .seconds(30)), ("5m", .seconds(300)), ("2h", .seconds(7200)),
        ("1.5h", .seconds(5400)), ("1d", .seconds(86_400)), ("5d", .seconds(432_000)), ("30", .seconds(30)), ("0", .zero),
        ("9e15s", .seconds(9_000_000_000_000_000)),
    ])
    func parses(text: String, expected: Duration) {
        #expect(ConfigDuration.parse(text) == expected)
    }

    /// Found by the config fuzzer: a duration beyond Int64 milliseconds, infinite or not a
    /// number trapped in Int64(_:); it is an error in the file instead.
    @Test(arguments: ["x", "", "5 m", "1e300s", "1e17", "9.3e15s", "infs", "inf", "nanms", "nan", "-5", "-1s"])
    func refuses(text: String) throws {
        #expect(ConfigDuration.parse(text) == nil)
        let config = "[spool]\ndirectory = \"/tmp/x\"\n[[shadow]]\nshadow = \"a.invalid\"\nreal = \"a.test\"\n"
            + "[destination]\nhost = \"h\"\n[retry]\nmaximal_lifetime = \"\(text)\"\n"
        #expect { _ = try MirrorConfiguration.parse(config, origin: "fixture.toml") } throws: {
            "\($0)" == "fixture.toml: setting retry.maximal_lifetime \(ConfigDuration.expectation) (got \"\(text)\")"
        }
    }

    /// In a file a duration is a string with a unit or a whole number of seconds.
    @Test(arguments: [
        ("idle_timeout = 90", "", Duration.seconds(90)),
        ("idle_timeout = \"90\"", "", .seconds(90)),
        ("idle_timeout = \"40m\"", "", .seconds(2400)),
        ("idle_timeout = -3", "forward.idle_timeout must be a duration such as \"30s\", \"5m\", \"2h\" or \"1d\" (got -3)", .zero),
        ("idle_timeout = 1.5", "forward.idle_timeout must be a duration", .zero),
        ("idle_timeout = true", "forward.idle_timeout must be a duration", .zero),
        ("idle_timeout = [\"5m\"]", "forward.idle_timeout must be a duration", .zero),
    ])
    func decodes(line: String, error: String, expected: Duration) throws {
        let text = "[forward]\n\(line)\n[[forward.listener]]\nname = \"imap\"\nlisten = \"143\"\nupstream = \"new.example.org:10143\"\n"
        if error.isEmpty {
            #expect(try ForwardSettings.parse(text, origin: "f.toml").configuration.idleTimeout == expected)
        } else {
            #expect { _ = try ForwardSettings.parse(text, origin: "f.toml") } throws: { "\($0)".hasPrefix("f.toml: setting \(error)") }
        }
    }
}
