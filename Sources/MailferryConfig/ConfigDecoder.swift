import Foundation
import TOMLKit

/// The one way mailferry reads a config file (migration, mirror, forward): TOML decoded
/// strictly into `Decodable` tables. A key no table names is an error with its line (a typo
/// must not silently turn a setting off), a value of the wrong type names its setting, and
/// every message starts with the file's name. Checks TOML's types cannot express (a domain,
/// `host:port`, settings that go together) belong to each kind's loader, after decoding.
public enum ConfigDecoder {
    /// The text of `path`. TOML files are UTF-8: other bytes are an error, not replaced.
    public static func read(path: String) throws(ConfigError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError("cannot read \(path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("\(path): not UTF-8 text (a TOML file is UTF-8)")
        }
        return text
    }

    /// The file's tables, or its syntax error with line and column.
    public static func table(_ text: String, origin: String) throws(ConfigError) -> TOMLTable {
        try TOMLPrecheck.check(text, origin: origin)
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError("\(origin): TOML syntax error at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw ConfigError("\(origin): \(error)")
        }
    }

    /// Decodes `text` as `T`; `example` names the shipped example that lists every setting.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String, origin: String, example: String) throws(ConfigError) -> T {
        try decode(type, from: try table(text, origin: origin), text: text, origin: origin, example: example)
    }

    /// Decodes an already parsed `table` (for a loader that looks at it first); `text` is its
    /// source, for the lines of unknown settings.
    public static func decode<T: Decodable>(_ type: T.Type, from table: TOMLTable, text: String, origin: String, example: String) throws(ConfigError) -> T {
        do {
            return try TOMLDecoder(strictDecoding: true).decode(type, from: table)
        } catch let error as UnexpectedKeysError {
            let keys = error.keys.map { key, path in
                // TOMLKit's path ends with the key itself; the check keeps the key once.
                var path = path
                if path.last?.stringValue != key || path.last?.intValue != nil { path.append(SettingKey(key)) }
                let line = TOMLKeyLocator.suffix(path.filter { $0.intValue == nil }.map(\.stringValue), in: text)
                return name(path) + line
            }.sorted()
            throw ConfigError("\(origin): unknown setting\(keys.count == 1 ? "" : "s") \(keys.joined(separator: ", ")) (see \(example))")
        } catch let error as DecodingError {
            throw ConfigError("\(origin): \(describe(error, in: table))")
        } catch {
            throw ConfigError("\(origin): \(error)")
        }
    }

    /// A setting's name as the admin writes it, with the index of an array of tables:
    /// `shadow[0].real`, `forward.listener[1].upstream`.
    public static func name(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop(while: { $0 == "." }).description
    }
}

/// A key of a setting's path that TOMLKit's own (internal) key type cannot stand for.
struct SettingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
