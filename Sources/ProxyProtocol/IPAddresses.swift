/// An IPv4 address as its four bytes in network order.
public struct IPv4Address: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var bytes: (UInt8, UInt8, UInt8, UInt8)

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) { bytes = (a, b, c, d) }

    /// From exactly four bytes; nil otherwise.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 else { return nil }
        let array = Array(bytes)
        self.init(array[0], array[1], array[2], array[3])
    }

    public var array: [UInt8] { [bytes.0, bytes.1, bytes.2, bytes.3] }

    public var description: String { "\(bytes.0).\(bytes.1).\(bytes.2).\(bytes.3)" }

    public static func == (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.array == rhs.array }
    public func hash(into hasher: inout Hasher) { hasher.combine(array) }
}

/// An IPv6 address as its sixteen bytes in network order.
public struct IPv6Address: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let array: [UInt8]

    /// From exactly sixteen bytes; nil otherwise.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        array = Array(bytes)
    }

    /// The IPv4 address of an IPv4-mapped address (`::ffff:a.b.c.d`), which a dual-stack
    /// listener reports for IPv4 clients.
    public var mappedIPv4: IPv4Address? {
        guard array[0..<10].allSatisfy({ $0 == 0 }), array[10] == 0xFF, array[11] == 0xFF else { return nil }
        return IPv4Address(bytes: array[12..<16])
    }

    /// Eight groups in hexadecimal, without zero compression (unambiguous in logs and tests).
    public var description: String {
        stride(from: 0, to: 16, by: 2).map { String(UInt16(array[$0]) << 8 | UInt16(array[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}
