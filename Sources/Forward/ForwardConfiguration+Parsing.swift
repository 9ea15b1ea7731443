extension ForwardConfiguration.Endpoint {
    /// `host:port`, `[ipv6]:port`, or `:port` / a bare port number (`defaultHost` then).
    /// Nil when there is no valid port.
    public static func parse(_ text: String, defaultHost: String? = nil) -> Self? {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            // More than one colon without brackets is an IPv6 address with no port.
            guard text.firstIndex(of: ":") == colon else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        } else {
            host = ""
            port = text[...]
        }
        guard let number = Int(port), (0...65535).contains(number) else { return nil }
        let name = host.isEmpty ? defaultHost : String(host)
        guard let name, !name.isEmpty else { return nil }
        return .init(host: name, port: number)
    }
}

extension ForwardConfiguration.Listener {
    /// `NAME=LISTEN=UPSTREAM`, as `--listener imap=0.0.0.0:143=new.example.org:10143` takes it.
    /// A LISTEN of only a port listens on every address (`0.0.0.0`).
    public static func parse(_ text: String) -> Self? {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, !parts[0].isEmpty,
            let listen = ForwardConfiguration.Endpoint.parse(parts[1], defaultHost: "0.0.0.0"),
            let upstream = ForwardConfiguration.Endpoint.parse(parts[2])
        else { return nil }
        return .init(name: parts[0], listen: listen, upstream: upstream)
    }
}
