import DNSCodec
import Foundation

extension PlanConfig {
    /// Checks every value once at load, so `mailferry config check` and `mailferry plan`
    /// refuse the same mistakes with the file's name in the message.
    func validate(origin: String) throws(ConfigError) {
        guard !domains.isEmpty else { throw ConfigError("\(origin): plan.domains must name at least one domain") }
        for domain in domains where (try? DNSName(domain)) == nil || domain.isEmpty {
            throw ConfigError("\(origin): plan.domains: \"\(domain)\" is not a domain name")
        }
        for (key, list) in [("old_addresses", oldAddresses), ("new_addresses", newAddresses)] {
            for address in list ?? [] where IPAddress(address) == nil {
                throw ConfigError("\(origin): plan.\(key): \"\(address)\" is not an IPv4 or IPv6 address")
            }
        }
        if (newAddresses ?? []).isEmpty {
            throw ConfigError("\(origin): plan.new_addresses must list the new server's public address(es)")
        }
        for (key, value) in [("plan.margin", margin), ("plan.dns.timeout", dns?.timeout)] {
            if let value, ConfigDuration.parse(value) == nil {
                throw ConfigError("\(origin): \(key) \"\(value)\" is not a duration such as \"30s\", \"12h\" or \"1d\"")
            }
        }
        if let switchAt, Self.parseDate(switchAt) == nil {
            throw ConfigError("\(origin): plan.switch_at \"\(switchAt)\" is not an ISO 8601 date such as \"2026-12-20T18:00:00Z\"")
        }
        // old_postfix alone serves the hosts check (myhostname); new_smtp alone has nothing to ask about.
        if newSMTP != nil && oldPostfix == nil {
            throw ConfigError("\(origin): plan.new_smtp needs plan.old_postfix (the old Postfix's maps are checked against the new server)")
        }
        if let newSMTP, Self.parseHostPort(newSMTP) == nil {
            throw ConfigError("\(origin): plan.new_smtp \"\(newSMTP)\" is not host:port such as \"new.example.com:25\"")
        }
        for (key, path) in [("new_dovecot_config", newDovecotConfig), ("new_postfix", newPostfix)] {
            if let path, !path.hasPrefix("/") { throw ConfigError("\(origin): plan.\(key) must be an absolute path (got \"\(path)\")") }
        }
        if let oldHost, oldHost.isEmpty || oldHost.hasPrefix("-") || oldHost.contains(where: \.isWhitespace) {
            throw ConfigError("\(origin): plan.old_host must be \"local\" or an ssh destination such as root@old.example.com")
        }
        if oldSSHOptions != nil && (oldHost ?? "local") == "local" {
            throw ConfigError("\(origin): plan.old_ssh_options needs an ssh destination in plan.old_host")
        }
        if let port = dns?.port, !(1...65535).contains(port) {
            throw ConfigError("\(origin): plan.dns.port must be 1 to 65535 (got \(port))")
        }
        if let attempts = dns?.attempts, !(1...10).contains(attempts) {
            throw ConfigError("\(origin): plan.dns.attempts must be 1 to 10 (got \(attempts))")
        }
        for (key, list) in [("roots", dns?.roots), ("resolvers", dns?.resolvers)] {
            for server in list ?? [] where Self.parseServer(server) == nil {
                throw ConfigError("\(origin): plan.dns.\(key): \"\(server)\" is not an address such as \"192.0.2.53\" or \"[2001:db8::53]:5353\"")
            }
        }
    }

    /// `host:port` (the host a name or an address; `[v6]:port` for IPv6).
    public static func parseHostPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        return (String(host), port)
    }

    public static func parseDate(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text)
    }

    /// `192.0.2.53`, `192.0.2.53:5353`, `2001:db8::53`, `[2001:db8::53]:5353` as address and port.
    public static func parseServer(_ text: String, defaultPort: Int = 53) -> (address: IPAddress, port: Int)? {
        var host = Substring(text)
        var port = defaultPort
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = Int(rest.dropFirst()) else { return nil }
                port = value
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]) else { return nil }
            port = value
            host = host[..<colon]
        }
        guard (1...65535).contains(port), let address = IPAddress(String(host)) else { return nil }
        return (address, port)
    }
}
