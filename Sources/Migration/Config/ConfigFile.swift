import TOMLKit

/// The config files mailferry reads, told apart by their tables, for `mailferry config check`.
public enum ConfigFile: String, Sendable, CaseIterable {
    /// `sync` / `verify --config`: `[source]`, `[destination]`, accounts (examples/mailferry.toml).
    case migration
    /// `mirror --config`: `[listen]`, `[spool]`, `[[shadow]]` or `[primary]` (examples/mirror.toml).
    case mirror
    /// `forward --config`: `[forward]` and its `[[forward.listener]]` (examples/forward.toml).
    case forward

    /// Which kind `text` is: a migration config names a `[source]`; a mirror config a `[spool]`,
    /// `[listen]`, `[[shadow]]` or `[primary]` (both have a `[destination]`).
    public static func kind(of text: String, origin: String) throws(ConfigError) -> ConfigFile {
        let keys = Set(try ConfigDecoder.table(text, origin: origin).keys)
        let migration = keys.contains("source")
        let mirror = !keys.isDisjoint(with: ["spool", "listen", "shadow", "primary"])
        if keys == ["forward"] { return .forward }
        switch (migration, mirror) {
        case (true, false): return .migration
        case (false, true): return .mirror
        case (true, true): throw ConfigError("\(origin): [source] belongs in a migration config, [spool]/[listen]/[[shadow]]/[primary] in a mirror config: use two files")
        case (false, false):
            throw ConfigError("\(origin): not a mailferry config: a migration config has [source] and [destination], a mirror config [spool] and [destination], a forward config only [forward]")
        }
    }

    /// Reads and checks the file as its kind's loader does (unknown settings are errors);
    /// returns the kind.
    public static func check(path: String) throws(ConfigError) -> ConfigFile {
        let text = try ConfigDecoder.read(path: path)
        let kind = try kind(of: text, origin: path)
        try kind.check(text, origin: path)
        return kind
    }

    /// Checks `text` as this kind's loader does (every kind through ``ConfigDecoder``).
    public func check(_ text: String, origin: String) throws(ConfigError) {
        switch self {
        case .migration: _ = try MigrationConfig.parse(text, origin: origin)
        case .mirror: _ = try MirrorConfiguration.parse(text, origin: origin)
        case .forward: _ = try ForwardSettings.parse(text, origin: origin)
        }
    }
}
