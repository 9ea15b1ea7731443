/// An IPv4 or IPv6 address as octets, with the text forms DNS needs: the usual notation
/// and the reverse-lookup name (`in-addr.arpa` / `ip6.arpa`).
public struct IPAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    /// 4 octets (IPv4) or 16 (IPv6).
    public let octets: [UInt8]

    public init?(octets: [UInt8]) {
        guard octets.count == 4 || octets.count == 16 else { return nil }
        self.octets = octets
    }

    /// Parses `192.0.2.1`, `2001:db8::1` or `::ffff:192.0.2.1`.
    public init?(_ text: String) {
        if !text.contains(":") {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var octets: [UInt8] = []
            for part in parts {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
                octets.append(value)
            }
            self.octets = octets
            return
        }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt8] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if index == fields.count - 1, field.contains("."), let v4 = IPAddress(String(field)), v4.isIPv4 {
                    result += v4.octets
                    continue
                }
                guard (1...4).contains(field.count), let value = UInt16(field, radix: 16) else { return nil }
                result += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 {
            guard head.count == 16 else { return nil }
            self.octets = head
            return
        }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        self.octets = head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    public var isIPv4: Bool { octets.count == 4 }

    public var description: String {
        if isIPv4 { return octets.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]) }
        // RFC 5952: the longest run of two or more zero groups becomes "::".
        var best = (start: -1, length: 0)
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > best.length && end - index >= 2 { best = (index, end - index) }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        return hex[..<best.start].joined(separator: ":") + "::" + hex[(best.start + best.length)...].joined(separator: ":")
    }

    /// `4.3.2.1.in-addr.arpa` or the 32 nibbles of `ip6.arpa`.
    public var reverseName: DNSName {
        let labels: [String]
        if isIPv4 {
            labels = octets.reversed().map(String.init) + ["in-addr", "arpa"]
        } else {
            labels = octets.reversed().flatMap { [String($0 & 0xf, radix: 16), String($0 >> 4, radix: 16)] } + ["ip6", "arpa"]
        }
        return DNSName(validated: labels.map { Array($0.utf8) })
    }

    /// Whether the first `length` bits equal those of `network` (an SPF `ip4:`/`ip6:` range).
    public func isIn(_ network: IPAddress, prefixLength length: Int) -> Bool {
        guard network.octets.count == octets.count, length >= 0, length <= octets.count * 8 else { return false }
        for bit in 0..<length {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if octets[bit / 8] & mask != network.octets[bit / 8] & mask { return false }
        }
        return true
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = IPAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not an IP address"))
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
