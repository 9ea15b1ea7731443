extension DNSMessage {
    /// Decodes a whole message (a UDP datagram, or a TCP message without its length prefix).
    /// Every defect is a `DNSError`; nothing traps, and no loop runs longer than the input allows.
    public init(decoding bytes: [UInt8]) throws(DNSError) {
        guard bytes.count <= 0xffff else { throw .tooLong(bytes.count) }
        var reader = DNSReader(bytes: bytes)
        let id = try reader.u16("header")
        let flags = try reader.u16("header")
        var counts: [Int] = []
        for _ in 0..<4 { counts.append(Int(try reader.u16("header"))) }
        self.init(
            id: id, isResponse: flags & 0x8000 != 0, opcode: UInt8((flags >> 11) & 0xf), isAuthoritative: flags & 0x0400 != 0,
            isTruncated: flags & 0x0200 != 0, recursionDesired: flags & 0x0100 != 0, recursionAvailable: flags & 0x0080 != 0,
            responseCode: DNSResponseCode(rawValue: UInt8(flags & 0xf))
        )
        // Each question takes at least 5 octets and each record 11, so counts beyond what the
        // message can hold are caught here, before any array grows.
        guard counts[0] * 5 + (counts[1] + counts[2] + counts[3]) * 11 <= bytes.count - 12 else {
            throw .truncated(counts[0] * 5 > bytes.count - 12 ? "question section" : "records")
        }
        for _ in 0..<counts[0] {
            let name = try reader.name()
            questions.append(DNSQuestion(name: name, type: DNSRecordType(rawValue: try reader.u16("question")), questionClass: try reader.u16("question")))
        }
        for _ in 0..<counts[1] { answers.append(try reader.record()) }
        for _ in 0..<counts[2] { authority.append(try reader.record()) }
        for _ in 0..<counts[3] { additional.append(try reader.record()) }
        guard reader.offset == bytes.count else { throw .trailingBytes(bytes.count - reader.offset) }
    }
}

/// A cursor over a message's octets; names are read with compression (RFC 1035 4.1.4).
struct DNSReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func u8(_ part: String) throws(DNSError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(part) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16(_ part: String) throws(DNSError) -> UInt16 {
        guard bytes.count - offset >= 2 else { throw .truncated(part) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u32(_ part: String) throws(DNSError) -> UInt32 {
        UInt32(try u16(part)) << 16 | UInt32(try u16(part))
    }

    mutating func octets(_ count: Int, _ part: String) throws(DNSError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .truncated(part) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a name at the cursor and leaves the cursor after it (after its first pointer if
    /// compressed). Every pointer must go to an offset lower than the previous jump's target
    /// (the first: lower than the pointer itself), so the jumps strictly descend and end;
    /// the decompressed name may not exceed 255 octets.
    mutating func name() throws(DNSError) -> DNSName {
        let start = offset
        var labels: [[UInt8]] = []
        var length = 1
        var position = offset
        var limit = offset
        var jumped = false
        while true {
            guard position < bytes.count else { throw .truncated("name") }
            let head = bytes[position]
            switch head & 0xc0 {
            case 0x00:
                if head == 0 {
                    if !jumped { offset = position + 1 }
                    return DNSName(validated: labels)
                }
                let count = Int(head)
                guard bytes.count - position - 1 >= count else { throw .truncated("name") }
                length += count + 1
                guard length <= 255 else { throw .nameTooLong(offset: start) }
                labels.append(Array(bytes[position + 1...position + count]))
                position += count + 1
            case 0xc0:
                guard bytes.count - position >= 2 else { throw .truncated("name") }
                let target = Int(head & 0x3f) << 8 | Int(bytes[position + 1])
                guard target < limit else { throw .badPointer(offset: position) }
                if !jumped { offset = position + 2 }
                jumped = true
                limit = target
                position = target
            default:
                throw .badLabel(offset: position)
            }
        }
    }

    mutating func record() throws(DNSError) -> DNSResourceRecord {
        let name = try name()
        let type = DNSRecordType(rawValue: try u16("record"))
        let recordClass = try u16("record")
        let rawTTL = try u32("record")
        let length = Int(try u16("record"))
        guard bytes.count - offset >= length else { throw .truncated("\(type) record data") }
        let start = offset
        let end = offset + length
        let data = try recordData(type: type, end: end)
        guard offset == end else { throw .badRecordData(type: type, offset: start) }
        // RFC 2181 8: a TTL with the most significant bit set is treated as zero.
        return DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: rawTTL & 0x8000_0000 != 0 ? 0 : rawTTL, data: data)
    }

    /// The RDATA between the cursor and `end`; a field that crosses `end` is malformed data.
    private mutating func recordData(type: DNSRecordType, end: Int) throws(DNSError) -> DNSRecordData {
        let start = offset
        func boundedName(_ reader: inout DNSReader) throws(DNSError) -> DNSName {
            let name = try reader.name()
            guard reader.offset <= end else { throw .badRecordData(type: type, offset: start) }
            return name
        }
        switch type {
        case .a, .aaaa:
            let size = type == .a ? 4 : 16
            guard end - start == size else { throw .badRecordData(type: type, offset: start) }
            let octets = try octets(size, "address")
            return type == .a ? .a(octets) : .aaaa(octets)
        case .ns: return .ns(try boundedName(&self))
        case .cname: return .cname(try boundedName(&self))
        case .ptr: return .ptr(try boundedName(&self))
        case .mx:
            guard end - start >= 3 else { throw .badRecordData(type: type, offset: start) }
            let preference = try u16("MX")
            return .mx(preference: preference, exchange: try boundedName(&self))
        case .txt:
            var strings: [[UInt8]] = []
            while offset < end {
                let count = Int(try u8("TXT"))
                guard end - offset >= count else { throw .badRecordData(type: type, offset: start) }
                strings.append(try octets(count, "TXT"))
            }
            guard !strings.isEmpty else { throw .badRecordData(type: type, offset: start) }
            return .txt(strings)
        case .soa:
            let primary = try boundedName(&self)
            let mailbox = try boundedName(&self)
            guard end - offset == 20 else { throw .badRecordData(type: type, offset: start) }
            return .soa(.init(primary: primary, mailbox: mailbox, serial: try u32("SOA"), refresh: try u32("SOA"),
                              retry: try u32("SOA"), expire: try u32("SOA"), minimum: try u32("SOA")))
        case .srv:
            guard end - start >= 7 else { throw .badRecordData(type: type, offset: start) }
            let priority = try u16("SRV"), weight = try u16("SRV"), port = try u16("SRV")
            return .srv(priority: priority, weight: weight, port: port, target: try boundedName(&self))
        case .tlsa:
            guard end - start >= 3 else { throw .badRecordData(type: type, offset: start) }
            let usage = try u8("TLSA"), selector = try u8("TLSA"), matching = try u8("TLSA")
            return .tlsa(usage: usage, selector: selector, matchingType: matching, data: try octets(end - offset, "TLSA"))
        default:
            return .other(try octets(end - start, "\(type) record data"))
        }
    }
}
