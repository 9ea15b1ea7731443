import Foundation
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
        let keys: Set<String>
        try TOMLPrecheck.check(text, origin: origin)
        do {
            keys = Set(try TOMLTable(string: text).keys)
        } catch let error as TOMLParseError {
            throw ConfigError("\(origin): \(error.description) (line \(error.source.begin.line), column \(error.source.begin.column))")
        } catch {
            throw ConfigError("\(origin): \(error)")
        }
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
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError("cannot read \(path): \(error.localizedDescription)")
        }
        let kind = try kind(of: text, origin: path)
        switch kind {
        case .migration:
            _ = try MigrationConfig.parse(text, origin: path)
        case .forward:
            _ = try ForwardSettings.load(path: path)
        case .mirror:
            do {
                _ = try MirrorConfiguration.load(path: path)
            } catch let error as ConfigError {
                throw error
            } catch {
                throw ConfigError("\(path): \(error)")
            }
        }
        return kind
    }
}
