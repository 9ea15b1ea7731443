import Foundation

/// What `doveconf -n` shows of the settings the forwarder depends on: the login services'
/// `inet_listener`s (port, `haproxy`, `ssl`) and the two trusted-network lists. Sans-IO: the
/// caller runs doveconf and hands over its output.
public struct DovecotListeners: Hashable, Sendable {
    public struct Listener: Hashable, Sendable, CustomStringConvertible {
        /// The service (`imap-login`, `pop3-login`) and the listener's own name.
        public var service: String
        public var name: String
        public var port: Int?
        public var haproxy: Bool
        public var ssl: Bool

        public var description: String { "\(service)/\(name):\(port.map(String.init) ?? "?")\(ssl ? " (ssl)" : "")" }
    }

    public var listeners: [Listener] = []
    public var haproxyTrustedNetworks = ""
    public var loginTrustedNetworks = ""

    public init(listeners: [Listener] = [], haproxyTrustedNetworks: String = "", loginTrustedNetworks: String = "") {
        self.listeners = listeners
        self.haproxyTrustedNetworks = haproxyTrustedNetworks
        self.loginTrustedNetworks = loginTrustedNetworks
    }

    /// Parses `doveconf -n` output: `key = value` lines, sections opened by `NAME [ARG] {` and
    /// closed by `}`. `login_trusted_networks` counts wherever it is set (a `protocol` or
    /// `local` section trusts the old host as much as the global setting would); every value
    /// is kept, separated by spaces.
    public init(doveconf text: String) {
        var stack: [(kind: String, name: String)] = []
        var current: Listener?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line == "}" {
                if stack.last?.kind == "inet_listener", let listener = current {
                    listeners.append(listener)
                    current = nil
                }
                _ = stack.popLast()
                continue
            }
            if line.hasSuffix("{") {
                let words = line.dropLast().split(separator: " ").map(String.init)
                let kind = words.first ?? ""
                let name = words.count > 1 ? words[1] : ""
                if kind == "inet_listener", stack.count == 1, stack[0].kind == "service" {
                    current = Listener(service: stack[0].name, name: name, port: nil, haproxy: false, ssl: false)
                }
                stack.append((kind, name))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if key == "login_trusted_networks", current == nil {
                loginTrustedNetworks += (loginTrustedNetworks.isEmpty ? "" : " ") + value
            } else if stack.isEmpty {
                if key == "haproxy_trusted_networks" { haproxyTrustedNetworks = value }
            } else if current != nil, stack.last?.kind == "inet_listener" {
                switch key {
                case "port": current?.port = Int(value)
                case "haproxy": current?.haproxy = value == "yes"
                case "ssl": current?.ssl = value == "yes"
                default: break
                }
            }
        }
    }

    /// The listeners of `imap-login` and `pop3-login` that take PROXY headers on a real port.
    public var proxyListeners: [Listener] {
        listeners.filter { $0.haproxy && ($0.port ?? 0) > 0 && ($0.service == "imap-login" || $0.service == "pop3-login") }
    }
}
