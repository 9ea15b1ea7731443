import Migration

/// The config loaders read files an administrator writes by hand: any text gets a
/// ``ConfigError`` or a configuration, never a trap.
enum ConfigChecks {
    static let origin = "/fuzz/config.toml"

    @Sendable static func loaders(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        // `config check` tells the kinds apart first; each loader must also hold on its own,
        // since `sync --config` and `mirror --config` skip that step.
        _ = try? ConfigFile.kind(of: text, origin: origin)
        _ = try? MigrationConfig.parse(text, origin: origin)
        do {
            _ = try MirrorConfiguration.parse(text, origin: origin)
        } catch is ConfigError {
        } catch {
            fatalError("the mirror config loader threw \(type(of: error)), not a ConfigError: \(error)")
        }
    }
}
