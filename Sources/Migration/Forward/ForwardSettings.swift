import Forward
import Foundation

/// `mailferry forward`'s settings: the forwarder's configuration and how long a stop waits
/// for open sessions. Read from a `[forward]` table (``read(_:)``), overridden by flags.
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

    /// Reads a `[forward]` table: the limits and its `[[forward.listener]]` entries
    /// (`name`, `listen`, `upstream`). Unknown keys are left to the caller's
    /// `rejectUnknownKeys()`, so the table can sit in a larger file (the cutover's).
    public static func read(_ table: ConfigReader) throws -> ForwardSettings {
        var listeners: [ForwardConfiguration.Listener] = []
        for entry in try table.tables("listener") {
            let name = try entry.requiredString("name")
            let listenText = try entry.requiredString("listen")
            let upstreamText = try entry.requiredString("upstream")
            guard let listen = ForwardConfiguration.Endpoint.parse(listenText, defaultHost: "0.0.0.0") else {
                throw ConfigError("\(table.file): \(entry.name("listen")) \"\(listenText)\" is not \"host:port\" or a port")
            }
            guard let upstream = ForwardConfiguration.Endpoint.parse(upstreamText) else {
                throw ConfigError("\(table.file): \(entry.name("upstream")) \"\(upstreamText)\" is not \"host:port\"")
            }
            listeners.append(.init(name: name, listen: listen, upstream: upstream))
        }
        var configuration = ForwardConfiguration(listeners: listeners)
        if let value = try table.int("max_connections") { configuration.maxConnections = value }
        if let value = try table.int("max_connections_per_source") { configuration.maxConnectionsPerSource = value }
        if let value = try table.int("buffer_size") { configuration.bufferSize = value }
        if let value = try table.duration("connect_timeout") { configuration.connectTimeout = value }
        if let value = try table.duration("idle_timeout") { configuration.idleTimeout = value }
        return ForwardSettings(configuration: configuration, grace: try table.duration("grace") ?? defaultGrace)
    }

    /// Reads a file whose settings are its `[forward]` table (examples/forward.toml) and
    /// checks them as the forwarder will.
    public static func load(path: String) throws(ConfigError) -> ForwardSettings {
        let settings: ForwardSettings
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let reader = try ConfigReader.load(file: path, contents: text)
            guard let table = try reader.section("forward") else { throw ConfigError("\(path): no [forward] table") }
            settings = try read(table)
            try reader.rejectUnknownKeys()
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("cannot read \(path): \(error.localizedDescription)")
        }
        try settings.validate(origin: path)
        return settings
    }

    public func validate(origin: String) throws(ConfigError) {
        let problems = configuration.problems + (grace < .zero ? ["grace must not be negative"] : [])
        if !problems.isEmpty { throw ConfigError("\(origin): " + problems.joined(separator: "; ")) }
    }
}
