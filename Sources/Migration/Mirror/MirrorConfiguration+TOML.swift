import Foundation
import MailModel
import Relay
import SMTPClient
import SMTPCodec

extension MirrorConfiguration {
    /// Read and validate a mirror configuration file.
    public static func load(path: String) throws -> MirrorConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError("\(path): cannot read the file") }
        return try parse(String(decoding: data, as: UTF8.self), origin: path)
    }

    /// Validate a mirror configuration's text; `origin` names it in errors. Every error it
    /// throws is a ``ConfigError``.
    public static func parse(_ text: String, origin path: String) throws -> MirrorConfiguration {
        let root = try ConfigReader.load(file: path, contents: text)
        var configuration = MirrorConfiguration()
        if let listen = try root.section("listen") { try configuration.listen.read(listen) }
        guard let spool = try root.section("spool") else { throw ConfigError("\(path): [spool] directory is required") }
        configuration.spoolDirectory = try spool.requiredString("directory")
        for shadow in try root.tables("shadow") {
            let shadowDomain = try shadow.requiredString("shadow")
            let real = try shadow.requiredString("real")
            guard EmailAddress("x@\(shadowDomain)") != nil, EmailAddress("x@\(real)") != nil else {
                throw ConfigError("\(path): \(shadow.path) has an invalid domain name")
            }
            configuration.shadowDomains[shadowDomain] = real
        }
        guard let destination = try root.section("destination") else { throw ConfigError("\(path): [destination] is required") }
        try configuration.destination.read(destination)
        if let primary = try root.section("primary") {
            var parsed = Destination()
            parsed.tls = .none
            try parsed.read(primary)
            guard parsed.tls == .none, parsed.caFile == nil, parsed.serverName == nil else {
                throw ConfigError("\(path): [primary] supports only tls = \"none\" (the in-path relay talks to the old MTA in plaintext; keep it on loopback)")
            }
            configuration.primary = parsed
        }
        if let retry = try root.section("retry") {
            if let value = try retry.duration("minimal_backoff") { configuration.retry.minimalBackoff = value }
            if let value = try retry.duration("maximal_backoff") { configuration.retry.maximalBackoff = value }
            if let value = try retry.duration("maximal_lifetime") { configuration.retry.maximalLifetime = value }
        }
        if configuration.primary == nil && configuration.shadowDomains.isEmpty {
            throw ConfigError("\(path): at least one [[shadow]] domain is required (the mirror accepts nothing else), or a [primary] for in-path mode")
        }
        if configuration.primary != nil && !configuration.shadowDomains.isEmpty {
            throw ConfigError("\(path): [[shadow]] and [primary] exclude each other: the shadow endpoint takes bcc copies, in-path mode takes all mail in front of the primary")
        }
        try root.rejectUnknownKeys()
        return configuration
    }
}

extension MirrorConfiguration.Listen {
    public mutating func read(_ reader: ConfigReader) throws {
        if let value = try reader.string("address") { address = value }
        if let value = try reader.int("port") { port = value }
        if let value = try reader.string("hostname") { hostname = value }
        tlsCertificate = try reader.string("tls_certificate")
        tlsKey = try reader.string("tls_key")
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ConfigError("\(reader.file): tls_certificate and tls_key go together") }
        if let value = try reader.bool("require_tls") { requireTLS = value }
        if requireTLS && tlsCertificate == nil { throw ConfigError("\(reader.file): require_tls needs tls_certificate and tls_key") }
        if let value = try reader.int("max_connections") { maximumConnections = value }
        if let value = try reader.int("max_connections_per_address") { maximumConnectionsPerAddress = value }
        if let value = try reader.string("line_endings") {
            guard let policy = SMTPLineEndingPolicy(rawValue: value) else {
                throw ConfigError("\(reader.file): listen.line_endings must be \"reject\" or \"normalize\"")
            }
            lineEndings = policy
        }
        if let value = try reader.int("message_size_limit") { messageSizeLimit = value }
        if let value = try reader.int("recipient_limit") { recipientLimit = max(100, value) }
        if let value = try reader.duration("command_timeout") { commandTimeout = value }
        if let value = try reader.duration("data_timeout") { dataTimeout = value }
        if let value = try reader.duration("greeting_delay") { greetingDelay = value }
    }
}

extension MirrorConfiguration.Destination {
    public mutating func read(_ reader: ConfigReader) throws {
        host = try reader.requiredString("host")
        if let value = try reader.int("port") { port = value }
        if let value = try reader.string("helo") { helo = value }
        if let value = try reader.string("tls") {
            guard let policy = SMTPTLSPolicy(rawValue: value) else {
                throw ConfigError("\(reader.file): \(reader.name("tls")) must be \"none\", \"opportunistic\" or \"required\"")
            }
            tls = policy
        }
        caFile = try reader.string("ca_file")
        serverName = try reader.string("server_name")
        if let value = try reader.int("concurrency") { concurrency = max(1, value) }
        if let value = try reader.string("bounce_address") {
            guard let address = EmailAddress(value), !address.hasAddressLiteral else {
                throw ConfigError("\(reader.file): \(reader.name("bounce_address")) must be a mailbox such as bounces@mailferry.invalid")
            }
            bounceAddress = address
        }
        if let value = try reader.string("notify") {
            switch value {
            case "never": notify = .never
            case "failure": notify = .failure
            default: throw ConfigError("\(reader.file): \(reader.name("notify")) must be \"never\" or \"failure\"")
            }
        }
    }

    public var clientConfiguration: SMTPClientConfiguration {
        var configuration = SMTPClientConfiguration(host: host, port: port, heloName: helo, tls: tls)
        configuration.trustRootsPath = caFile
        configuration.serverName = serverName
        configuration.notify = notify
        return configuration
    }
}
