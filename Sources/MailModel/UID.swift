/// An IMAP unique identifier (RFC 3501 §2.3.1.1): a non-zero 32-bit number, strictly
/// ascending within a mailbox for as long as its ``UIDValidity`` stays the same.
public struct UID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    /// Initialize a UID; `nil` for 0, which is never a valid UID.
    public init?(_ rawValue: UInt32) {
        guard rawValue != 0 else { return nil }
        self.rawValue = rawValue
    }

    /// Initialize a UID from a value known to be non-zero.
    public init(exactly rawValue: UInt32) {
        precondition(rawValue != 0, "UID 0 is not a valid UID")
        self.rawValue = rawValue
    }

    public static func < (lhs: UID, rhs: UID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// The UIDVALIDITY of a mailbox (RFC 3501 §2.3.1.1): when it changes, every UID the
/// client knew for that mailbox is void.
public struct UIDValidity: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// A CONDSTORE modification sequence (RFC 7162): a positive 63-bit number.
public struct ModSeq: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (lhs: ModSeq, rhs: ModSeq) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

extension UID: Codable {
    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(UInt32.self)
        guard value != 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "UID 0 is not a valid UID"))
        }
        self.rawValue = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension UIDValidity: Codable {
    public init(from decoder: any Decoder) throws { self.rawValue = try decoder.singleValueContainer().decode(UInt32.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
