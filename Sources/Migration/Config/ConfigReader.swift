import TOMLKit

/// Reads one TOML table with typed accessors and remembers which keys were read, so a
/// misspelt key is an error instead of a silently ignored setting.
public final class ConfigReader {
    public let table: TOMLTable
    public let path: String
    public let file: String
    /// The whole file, to give the line of an unknown setting.
    let text: String
    private var used = Set<String>()
    private var children: [ConfigReader] = []

    init(table: TOMLTable, path: String, file: String, text: String) {
        self.table = table
        self.path = path
        self.file = file
        self.text = text
    }

    public static func load(file: String, contents: String) throws -> ConfigReader {
        try TOMLPrecheck.check(contents, origin: file)
        do {
            return ConfigReader(table: try TOMLTable(string: contents), path: "", file: file, text: contents)
        } catch let error as TOMLParseError {
            throw ConfigError("\(file): TOML syntax error at \(error.source.begin): \(error.description)")
        }
    }

    public func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func value(_ key: String) -> (any TOMLValueConvertible)? {
        used.insert(key)
        return table[key]
    }

    public func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.string else { throw ConfigError("\(file): \(name(key)) must be a string") }
        return string
    }

    public func requiredString(_ key: String) throws -> String {
        guard let string = try string(key) else { throw ConfigError("\(file): \(name(key)) is required") }
        return string
    }

    public func int(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.int else { throw ConfigError("\(file): \(name(key)) must be an integer") }
        return int
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool else { throw ConfigError("\(file): \(name(key)) must be true or false") }
        return bool
    }

    /// `"30s"`, `"5m"`, `"1h"`, `"5d"`, `"250ms"` or a number of seconds.
    public func duration(_ key: String) throws -> Duration? {
        guard let value = value(key) else { return nil }
        if let seconds = value.int { return .seconds(seconds) }
        guard let text = value.string, let duration = Self.parseDuration(text) else {
            throw ConfigError("\(file): \(name(key)) must be a duration such as \"30s\", \"5m\", \"1h\" or \"5d\"")
        }
        return duration
    }

    public func section(_ key: String) throws -> ConfigReader? {
        guard let value = value(key) else { return nil }
        guard let table = value.table else { throw ConfigError("\(file): [\(name(key))] must be a table") }
        let child = ConfigReader(table: table, path: name(key), file: file, text: text)
        children.append(child)
        return child
    }

    public func tables(_ key: String) throws -> [ConfigReader] {
        guard let value = value(key) else { return [] }
        guard let array = value.array else { throw ConfigError("\(file): [[\(name(key))]] must be an array of tables") }
        return try array.enumerated().map { index, element in
            guard let table = element.table else { throw ConfigError("\(file): [[\(name(key))]] must be an array of tables") }
            let child = ConfigReader(table: table, path: "\(name(key))[\(index)]", file: file, text: text)
            children.append(child)
            return child
        }
    }

    /// Throw if any key was never read (a typo or an unsupported setting).
    public func rejectUnknownKeys() throws {
        for key in table.keys where !used.contains(key) {
            let components = name(key).split(separator: ".").map { String($0.prefix(while: { $0 != "[" })) }
            throw ConfigError("\(file): unknown setting \(name(key))\(TOMLKeyLocator.suffix(components, in: text))")
        }
        for child in children { try child.rejectUnknownKeys() }
    }

    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).flatMap { milliseconds($0 * scale) }
        }
        return Double(text).flatMap { milliseconds($0) }
    }

    /// `seconds` as whole milliseconds; nil when negative, not a number, or beyond what
    /// Int64 milliseconds hold (about 292 million years), which Int64(_:) would trap on.
    private static func milliseconds(_ seconds: Double) -> Duration? {
        let value = seconds * 1000
        guard value >= 0, value < 9.2e18 else { return nil }
        return .milliseconds(Int64(value))
    }
}
