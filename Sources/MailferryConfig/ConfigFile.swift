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
}
