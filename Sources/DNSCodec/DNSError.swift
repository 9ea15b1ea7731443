/// Everything that can be wrong with a DNS message on the wire. A server's answer is
/// untrusted input: each defect is one of these, never a trap or a silent guess.
public enum DNSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message ends inside the named part (header, question, record, RDATA field).
    case truncated(String)
    /// A label longer than 63 octets, or a label type other than 00 (plain) and 11 (pointer).
    case badLabel(offset: Int)
    /// A name longer than 255 octets on the wire after decompression.
    case nameTooLong(offset: Int)
    /// A compression pointer that does not point strictly backwards (the only way a loop
    /// can be ruled out without counting jumps), or more jumps than a name can need.
    case badPointer(offset: Int)
    /// RDATA whose length does not match its type (an A record that is not 4 octets, an MX
    /// whose name runs past its RDLENGTH, ...).
    case badRecordData(type: DNSRecordType, offset: Int)
    /// Octets left over after the last record the header announces.
    case trailingBytes(Int)
    /// A name given as text that cannot be a DNS name (empty label, label over 63 octets).
    case badName(String)
    /// A message over 65535 octets, which neither UDP nor TCP framing can carry.
    case tooLong(Int)

    public var description: String {
        switch self {
        case .truncated(let part): return "DNS message ends inside its \(part)"
        case .badLabel(let offset): return "bad DNS label at offset \(offset)"
        case .nameTooLong(let offset): return "DNS name at offset \(offset) is longer than 255 octets"
        case .badPointer(let offset): return "DNS compression pointer at offset \(offset) does not point backwards"
        case .badRecordData(let type, let offset): return "malformed \(type) record data at offset \(offset)"
        case .trailingBytes(let count): return "\(count) octets after the last DNS record"
        case .badName(let name): return "\"\(name)\" is not a DNS name"
        case .tooLong(let count): return "DNS message of \(count) octets is over 65535"
        }
    }
}
