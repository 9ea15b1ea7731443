import MailferryConfig

/// The config loaders read files an administrator writes by hand: any text gets a
/// ``ConfigError`` or a configuration, never a trap. Every kind goes through the one
/// mechanism (``ConfigDecoder``); the loaders' typed throws make any other error a
/// compile-time mistake. The mirror file is checked as far as its tables: the values'
/// checks build the relay's types, which live with the relay (and have unit tests).
enum ConfigChecks {
    static let origin = "/fuzz/config.toml"

    @Sendable static func loaders(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        // `config check` tells the kinds apart first; each loader must also hold on its own,
        // since `sync --config`, `mirror --config` and `forward --config` skip that step.
        _ = try? ConfigFile.kind(of: text, origin: origin)
        _ = try? MigrationConfig.parse(text, origin: origin)
        _ = try? MirrorConfigFile.decode(text, origin: origin)
        _ = try? ForwardSettings.parse(text, origin: origin)
    }
}
