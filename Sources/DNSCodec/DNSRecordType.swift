/// A record type (RFC 1035 TYPE / QTYPE). A struct, not an enum: a server may send any of
/// the 65536 values and the decoder keeps the ones it does not know as opaque data.
public struct DNSRecordType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSRecordType(rawValue: 1)
    public static let ns = DNSRecordType(rawValue: 2)
    public static let cname = DNSRecordType(rawValue: 5)
    public static let soa = DNSRecordType(rawValue: 6)
    public static let ptr = DNSRecordType(rawValue: 12)
    public static let mx = DNSRecordType(rawValue: 15)
    public static let txt = DNSRecordType(rawValue: 16)
    public static let aaaa = DNSRecordType(rawValue: 28)
    public static let srv = DNSRecordType(rawValue: 33)
    public static let opt = DNSRecordType(rawValue: 41)
    public static let tlsa = DNSRecordType(rawValue: 52)

    static let names: [UInt16: String] = [
        1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV", 41: "OPT", 52: "TLSA",
    ]

    /// `MX`, or `TYPE65280` (RFC 3597) for a type without a name here.
    public var description: String { Self.names[rawValue] ?? "TYPE\(rawValue)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if let known = Self.names.first(where: { $0.value == text }) {
            rawValue = known.key
        } else if text.hasPrefix("TYPE"), let value = UInt16(text.dropFirst(4)) {
            rawValue = value
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown DNS type \(text)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
