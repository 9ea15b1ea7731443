import Foundation

/// An IPv4 or IPv6 network (`192.0.2.0/24`, `2001:db8::/32`, or one address), as Dovecot's
/// `haproxy_trusted_networks` and `login_trusted_networks` list them, and whether it holds
/// an address. An IPv4 address never matches an IPv6 network or the reverse (Dovecot
/// compares them the same way).
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The address's bytes in network order: 4 or 16.
    public var bytes: [UInt8]
    public var prefixLength: Int

    /// `address` or `address/prefix`; nil for anything else (a host name, a bad prefix).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.parse(String(parts[0])) else { return nil }
        let prefix: Int
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...bytes.count * 8).contains(value), parts[1].allSatisfy(\.isASCII) else { return nil }
            prefix = value
        } else {
            prefix = bytes.count * 8
        }
        self.bytes = bytes
        prefixLength = prefix
    }

    /// One address (no prefix allowed).
    public init?(address: String) {
        guard !address.contains("/"), let network = IPNetwork(address) else { return nil }
        self = network
    }

    /// Whether `address` lies in this network.
    public func contains(_ address: IPNetwork) -> Bool {
        guard address.bytes.count == bytes.count else { return false }
        var left = prefixLength
        for index in bytes.indices where left > 0 {
            let bits = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != address.bytes[index] & mask { return false }
            left -= bits
        }
        return true
    }

    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { source in
            text.withUnsafeMutableBufferPointer { inet_ntop(family, source.baseAddress, $0.baseAddress, socklen_t(INET6_ADDRSTRLEN)) }
        }
        let address = written == nil ? "?" : String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return prefixLength == bytes.count * 8 ? address : "\(address)/\(prefixLength)"
    }

    /// The networks of a Dovecot list setting (separated by spaces or commas), and the
    /// entries that are not networks (host names, which this check cannot resolve).
    public static func list(_ text: String) -> (networks: [IPNetwork], other: [String]) {
        var networks: [IPNetwork] = []
        var other: [String] = []
        for entry in text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
            if let network = IPNetwork(String(entry)) { networks.append(network) } else { other.append(String(entry)) }
        }
        return (networks, other)
    }

    private static func parse(_ text: String) -> [UInt8]? {
        var four = in_addr()
        if inet_pton(AF_INET, text, &four) == 1 { return withUnsafeBytes(of: four) { Array($0) } }
        var six = in6_addr()
        if inet_pton(AF_INET6, text, &six) == 1 { return withUnsafeBytes(of: six) { Array($0) } }
        return nil
    }
}
