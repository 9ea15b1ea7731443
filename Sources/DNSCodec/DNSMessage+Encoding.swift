extension DNSMessage {
    /// The message on the wire. Names are written uncompressed: mailferry only encodes
    /// one-question queries (and test fixtures), where compression would save nothing that matters.
    public func encoded() throws(DNSError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        func u16(_ value: UInt16) { out += [UInt8(value >> 8), UInt8(value & 0xff)] }
        func u32(_ value: UInt32) { u16(UInt16(value >> 16)); u16(UInt16(value & 0xffff)) }
        func name(_ name: DNSName) {
            for label in name.labels { out.append(UInt8(label.count)); out += label }
            out.append(0)
        }
        u16(id)
        var flags = UInt16(opcode & 0xf) << 11 | UInt16(responseCode.rawValue & 0xf)
        if isResponse { flags |= 0x8000 }
        if isAuthoritative { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        u16(flags)
        for count in [questions.count, answers.count, authority.count, additional.count] {
            guard count <= 0xffff else { throw .tooLong(count) }
            u16(UInt16(count))
        }
        for question in questions {
            name(question.name)
            u16(question.type.rawValue)
            u16(question.questionClass)
        }
        for record in answers + authority + additional {
            name(record.name)
            u16(record.type.rawValue)
            u16(record.recordClass)
            u32(record.ttl)
            let lengthAt = out.count
            u16(0)
            switch record.data {
            case .a(let octets), .aaaa(let octets), .other(let octets): out += octets
            case .ns(let target), .cname(let target), .ptr(let target): name(target)
            case .mx(let preference, let exchange): u16(preference); name(exchange)
            case .txt(let strings):
                for string in strings {
                    guard string.count <= 255 else { throw .badRecordData(type: record.type, offset: out.count) }
                    out.append(UInt8(string.count))
                    out += string
                }
            case .soa(let soa):
                name(soa.primary); name(soa.mailbox)
                for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { u32(value) }
            case .srv(let priority, let weight, let port, let target):
                u16(priority); u16(weight); u16(port); name(target)
            case .tlsa(let usage, let selector, let matchingType, let data):
                out += [usage, selector, matchingType] + data
            }
            let length = out.count - lengthAt - 2
            guard length <= 0xffff else { throw .tooLong(length) }
            out[lengthAt] = UInt8(length >> 8)
            out[lengthAt + 1] = UInt8(length & 0xff)
        }
        guard out.count <= 0xffff else { throw .tooLong(out.count) }
        return out
    }
}
