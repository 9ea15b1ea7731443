/// The decoded RDATA of the record types `mailferry plan` reads; anything else is kept as
/// its octets.
public enum DNSRecordData: Hashable, Sendable {
    case a([UInt8])
    case aaaa([UInt8])
    case ns(DNSName)
    case cname(DNSName)
    case ptr(DNSName)
    case mx(preference: UInt16, exchange: DNSName)
    case txt([[UInt8]])
    case soa(SOA)
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName)
    case tlsa(usage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8])
    case other([UInt8])

    public struct SOA: Hashable, Sendable {
        public var primary: DNSName
        public var mailbox: DNSName
        public var serial: UInt32
        public var refresh: UInt32
        public var retry: UInt32
        public var expire: UInt32
        /// The negative-caching TTL (RFC 2308): how long a resolver remembers that a name does not exist.
        public var minimum: UInt32

        public init(primary: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32) {
            self.primary = primary
            self.mailbox = mailbox
            self.serial = serial
            self.refresh = refresh
            self.retry = retry
            self.expire = expire
            self.minimum = minimum
        }
    }

    /// The strings of a TXT record joined (SPF and MTA-STS records may be split into
    /// several strings, which RFC 7208 says to concatenate without spaces).
    public var text: String? {
        guard case .txt(let strings) = self else { return nil }
        return String(decoding: strings.joined(), as: UTF8.self)
    }

    /// The address of an A or AAAA record in its usual text form.
    public var address: IPAddress? {
        switch self {
        case .a(let octets), .aaaa(let octets): return IPAddress(octets: octets)
        default: return nil
        }
    }

    /// The name an NS, CNAME, PTR, MX or SRV record points to.
    public var target: DNSName? {
        switch self {
        case .ns(let name), .cname(let name), .ptr(let name): return name
        case .mx(_, let exchange): return exchange
        case .srv(_, _, _, let target): return target
        default: return nil
        }
    }
}
