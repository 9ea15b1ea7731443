import Forward
import Foundation
import TOMLKit

/// `mailferry forward`'s settings: the forwarder's configuration and how long a stop waits
/// for open sessions. Read from a `[forward]` table (``ForwardTable``), overridden by flags.
public struct ForwardSettings: Sendable, Equatable {
    public var configuration: ForwardConfiguration
    /// How long open sessions may go on after a stop is asked for (SIGTERM, the cutover's
    /// decommission) before they are closed.
    public var grace: Duration

    public static let defaultGrace = Duration.seconds(60)

    public init(configuration: ForwardConfiguration, grace: Duration = defaultGrace) {
        self.configuration = configuration
        self.grace = grace
    }

    /// The settings of a `[forward]` table (limits and `[[forward.listener]]` entries);
    /// `origin` names the file in errors.
    public init(_ table: ForwardTable, origin: String) throws(ConfigError) {
        var listeners: [ForwardConfiguration.Listener] = []
        for (index, entry) in (table.listener ?? []).enumerated() {
            guard let listen = ForwardConfiguration.Endpoint.parse(entry.listen, defaultHost: "0.0.0.0") else {
                throw ConfigError("\(origin): forward.listener[\(index)].listen \"\(entry.listen)\" is not \"host:port\" or a port")
            }
            guard let upstream = ForwardConfiguration.Endpoint.parse(entry.upstream) else {
                throw ConfigError("\(origin): forward.listener[\(index)].upstream \"\(entry.upstream)\" is not \"host:port\"")
            }
            listeners.append(.init(name: entry.name, listen: listen, upstream: upstream))
        }
        var configuration = ForwardConfiguration(listeners: listeners)
        if let value = table.maxConnections { configuration.maxConnections = value }
        if let value = table.maxConnectionsPerSource { configuration.maxConnectionsPerSource = value }
        if let value = table.bufferSize { configuration.bufferSize = value }
        if let value = table.connectTimeout { configuration.connectTimeout = value.duration }
        if let value = table.idleTimeout { configuration.idleTimeout = value.duration }
        self.init(configuration: configuration, grace: table.grace?.duration ?? Self.defaultGrace)
    }

    /// Reads a file whose settings are its `[forward]` table (examples/forward.toml) and
    /// checks them as the forwarder will.
    public static func load(path: String) throws(ConfigError) -> ForwardSettings {
        try parse(try ConfigDecoder.read(path: path), origin: path)
    }

    /// A forward config's text; `origin` names it in errors.
    public static func parse(_ text: String, origin: String) throws(ConfigError) -> ForwardSettings {
        let table = try ConfigDecoder.table(text, origin: origin)
        // Before decoding, so a file with another kind's tables is named for what it lacks
        // rather than for every table it has.
        guard table["forward"] != nil else { throw ConfigError("\(origin): no [forward] table") }
        let file = try ConfigDecoder.decode(ForwardFile.self, from: table, text: text, origin: origin, example: "examples/forward.toml")
        let settings = try ForwardSettings(file.forward, origin: origin)
        try settings.validate(origin: origin)
        return settings
    }

    public func validate(origin: String) throws(ConfigError) {
        let problems = configuration.problems + (grace < .zero ? ["grace must not be negative"] : [])
        if !problems.isEmpty { throw ConfigError("\(origin): " + problems.joined(separator: "; ")) }
    }
}
