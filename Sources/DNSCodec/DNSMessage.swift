/// A DNS message (RFC 1035 section 4): a query mailferry sends or a response it reads.
/// Pure value; `DNSMessage+Decoding` and `DNSMessage+Encoding` hold the wire format.
public struct DNSMessage: Hashable, Sendable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: UInt8
    /// AA: the answer comes from a server authoritative for the zone, so its TTLs are the
    /// zone's own values and not what is left of a cached copy.
    public var isAuthoritative: Bool
    /// TC: the answer did not fit in the UDP datagram; ask again over TCP.
    public var isTruncated: Bool
    public var recursionDesired: Bool
    public var recursionAvailable: Bool
    public var responseCode: DNSResponseCode
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authority: [DNSResourceRecord]
    public var additional: [DNSResourceRecord]

    public init(
        id: UInt16, isResponse: Bool = false, opcode: UInt8 = 0, isAuthoritative: Bool = false, isTruncated: Bool = false,
        recursionDesired: Bool = false, recursionAvailable: Bool = false, responseCode: DNSResponseCode = .noError,
        questions: [DNSQuestion] = [], answers: [DNSResourceRecord] = [], authority: [DNSResourceRecord] = [],
        additional: [DNSResourceRecord] = []
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.responseCode = responseCode
        self.questions = questions
        self.answers = answers
        self.authority = authority
        self.additional = additional
    }

    /// A standard query for one name and type. `recursionDesired` false asks an
    /// authoritative server for its own data only; an EDNS0 OPT record announces
    /// `udpPayloadSize` so answers up to that size need no TCP retry.
    public static func query(id: UInt16, name: DNSName, type: DNSRecordType, recursionDesired: Bool, udpPayloadSize: UInt16? = 1232) -> DNSMessage {
        var message = DNSMessage(id: id, recursionDesired: recursionDesired, questions: [DNSQuestion(name: name, type: type)])
        if let udpPayloadSize {
            message.additional = [DNSResourceRecord(name: .root, type: .opt, recordClass: udpPayloadSize, ttl: 0, data: .other([]))]
        }
        return message
    }

    /// The records of the answer section for `name` and `type`, following a CNAME chain of
    /// at most 8 links inside the answer (a longer chain or a loop yields what was found).
    public func answers(for name: DNSName, type: DNSRecordType) -> [DNSResourceRecord] {
        var current = name
        for _ in 0..<8 {
            let direct = answers.filter { $0.name == current && $0.type == type }
            if !direct.isEmpty || type == .cname { return direct }
            guard let alias = answers.first(where: { $0.name == current && $0.type == .cname })?.data.target else { return [] }
            current = alias
        }
        return []
    }
}

/// RCODE (RFC 1035 4.1.1, RFC 6895): whether the server answered, and if not, why.
public struct DNSResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let noError = DNSResponseCode(rawValue: 0)
    public static let formatError = DNSResponseCode(rawValue: 1)
    public static let serverFailure = DNSResponseCode(rawValue: 2)
    /// NXDOMAIN: the name does not exist at all.
    public static let nameError = DNSResponseCode(rawValue: 3)
    public static let notImplemented = DNSResponseCode(rawValue: 4)
    public static let refused = DNSResponseCode(rawValue: 5)

    public var description: String {
        ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"].indices.contains(Int(rawValue))
            ? ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"][Int(rawValue)] : "RCODE\(rawValue)"
    }
}
