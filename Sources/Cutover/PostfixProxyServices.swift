import Foundation

/// The smtpd services of `postconf -M` (master.cf, one service a line) and whether each reads
/// a PROXY header (`-o smtpd_upstream_proxy_protocol=haproxy`, or the main.cf default it
/// inherits). Sans-IO: the caller runs postconf.
public struct PostfixProxyServices: Hashable, Sendable {
    public struct Service: Hashable, Sendable {
        /// The service name: a port (`10587`), `host:port`, or a services(5) name (`submission`).
        public var name: String
        public var proxy: Bool
        /// The service's `-o name=value` overrides of main.cf.
        public var options: [String: String] = [:]
    }

    public var services: [Service]

    /// `masterCF`: `postconf -M` output; `mainDefault`: `postconf -h smtpd_upstream_proxy_protocol`.
    public init(masterCF: String, mainDefault: String) {
        let inherited = mainDefault.trimmingCharacters(in: .whitespacesAndNewlines) == "haproxy"
        services = masterCF.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count >= 8, fields[1] == "inet", fields[7] == "smtpd" else { return nil }
            var proxy = inherited
            var options: [String: String] = [:]
            var index = 8
            while index < fields.count {
                var option: String?
                if fields[index] == "-o", index + 1 < fields.count {
                    option = fields[index + 1]
                    index += 1
                } else if fields[index].hasPrefix("-o") {
                    option = String(fields[index].dropFirst(2))
                }
                if let option, let equals = option.firstIndex(of: "=") {
                    options[String(option[..<equals])] = String(option[option.index(after: equals)...])
                }
                if let option, option.hasPrefix("smtpd_upstream_proxy_protocol=") {
                    proxy = option.dropFirst("smtpd_upstream_proxy_protocol=".count) == "haproxy"
                }
                index += 1
            }
            return Service(name: fields[0], proxy: proxy, options: options)
        }
    }

    /// Services on the SMTP port itself: with PROXY there, every sender would be refused.
    public var smtpPortWithProxy: [Service] {
        services.filter { $0.proxy && ($0.name == "smtp" || $0.name == "25" || $0.name.hasSuffix(":smtp") || $0.name.hasSuffix(":25")) }
    }

    public var proxyServices: [Service] { services.filter(\.proxy) }
}
