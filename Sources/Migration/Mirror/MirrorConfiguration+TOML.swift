import MailferryConfig
import MailModel
import Relay
import SMTPClient
import SMTPCodec

extension MirrorConfiguration {
    /// Read and validate a mirror configuration file.
    public static func load(path: String) throws(ConfigError) -> MirrorConfiguration {
        try parse(try ConfigDecoder.read(path: path), origin: path)
    }

    /// Validate a mirror configuration's text; `origin` names it in errors.
    public static func parse(_ text: String, origin path: String) throws(ConfigError) -> MirrorConfiguration {
        let file = try MirrorConfigFile.decode(text, origin: path)
        var configuration = MirrorConfiguration()
        if let listen = file.listen { try configuration.listen.apply(listen, origin: path) }
        guard let spool = file.spool else { throw ConfigError("\(path): [spool] directory is required") }
        configuration.spoolDirectory = spool.directory
        for (index, shadow) in (file.shadow ?? []).enumerated() {
            guard EmailAddress("x@\(shadow.shadow)") != nil, EmailAddress("x@\(shadow.real)") != nil else {
                throw ConfigError("\(path): shadow[\(index)] has an invalid domain name")
            }
            configuration.shadowDomains[shadow.shadow] = shadow.real
        }
        guard let destination = file.destination else { throw ConfigError("\(path): [destination] is required") }
        try configuration.destination.apply(destination, table: "destination", origin: path)
        if let primary = file.primary {
            var parsed = Destination()
            parsed.tls = .none
            try parsed.apply(primary, table: "primary", origin: path)
            guard parsed.tls == .none, parsed.caFile == nil, parsed.serverName == nil else {
                throw ConfigError("\(path): [primary] supports only tls = \"none\" (the in-path relay talks to the old MTA in plaintext; keep it on loopback)")
            }
            configuration.primary = parsed
        }
        if let retry = file.retry {
            if let value = retry.minimalBackoff { configuration.retry.minimalBackoff = value.duration }
            if let value = retry.maximalBackoff { configuration.retry.maximalBackoff = value.duration }
            if let value = retry.maximalLifetime { configuration.retry.maximalLifetime = value.duration }
        }
        if configuration.primary == nil && configuration.shadowDomains.isEmpty {
            throw ConfigError("\(path): at least one [[shadow]] domain is required (the mirror accepts nothing else), or a [primary] for in-path mode")
        }
        if configuration.primary != nil && !configuration.shadowDomains.isEmpty {
            throw ConfigError("\(path): [[shadow]] and [primary] exclude each other: the shadow endpoint takes bcc copies, in-path mode takes all mail in front of the primary")
        }
        return configuration
    }
}

extension MirrorConfiguration.Listen {
    mutating func apply(_ table: MirrorConfigFile.Listen, origin: String) throws(ConfigError) {
        if let value = table.address { address = value }
        if let value = table.port { port = value }
        if let value = table.hostname { hostname = value }
        tlsCertificate = table.tlsCertificate
        tlsKey = table.tlsKey
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ConfigError("\(origin): listen.tls_certificate and listen.tls_key go together") }
        if let value = table.requireTLS { requireTLS = value }
        if requireTLS && tlsCertificate == nil { throw ConfigError("\(origin): listen.require_tls needs tls_certificate and tls_key") }
        if let value = table.maxConnections { maximumConnections = value }
        if let value = table.maxConnectionsPerAddress { maximumConnectionsPerAddress = value }
        if let value = table.lineEndings {
            guard let policy = SMTPLineEndingPolicy(rawValue: value) else {
                throw ConfigError("\(origin): listen.line_endings must be \"reject\" or \"normalize\"")
            }
            lineEndings = policy
        }
        if let value = table.messageSizeLimit { messageSizeLimit = value }
        if let value = table.recipientLimit { recipientLimit = max(100, value) }
        if let value = table.commandTimeout { commandTimeout = value.duration }
        if let value = table.dataTimeout { dataTimeout = value.duration }
        if let value = table.greetingDelay { greetingDelay = value.duration }
    }
}

extension MirrorConfiguration.Destination {
    /// `table` is `destination` or `primary`, for the messages.
    mutating func apply(_ settings: MirrorConfigFile.Destination, table: String, origin: String) throws(ConfigError) {
        host = settings.host
        if let value = settings.port { port = value }
        if let value = settings.helo { helo = value }
        if let value = settings.tls {
            guard let policy = SMTPTLSPolicy(rawValue: value) else {
                throw ConfigError("\(origin): \(table).tls must be \"none\", \"opportunistic\" or \"required\"")
            }
            tls = policy
        }
        caFile = settings.caFile
        serverName = settings.serverName
        if let value = settings.concurrency { concurrency = max(1, value) }
        if let value = settings.bounceAddress {
            guard let address = EmailAddress(value), !address.hasAddressLiteral else {
                throw ConfigError("\(origin): \(table).bounce_address must be a mailbox such as bounces@mailferry.invalid")
            }
            bounceAddress = address
        }
        if let value = settings.notify {
            switch value {
            case "never": notify = .never
            case "failure": notify = .failure
            default: throw ConfigError("\(origin): \(table).notify must be \"never\" or \"failure\"")
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
