/// A spool entry's name: arrival time in microseconds (hex) and a random suffix, so IDs
/// sort by arrival and never collide. Only `[0-9A-F]` and one `-`, so an ID is always a
/// safe file name (IDs typed on the command line are validated with `init?(_:)`).
public struct QueueID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// Validate an ID read from a file name or the command line.
    public init?(_ rawValue: String) {
        let parts = rawValue.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 14, parts[1].count == 8,
              rawValue.utf8.allSatisfy({ (48...57).contains($0) || (65...70).contains($0) || $0 == 45 })
        else { return nil }
        self.rawValue = rawValue
    }

    /// A new ID for a message arriving at `unixTime` seconds.
    public static func make(unixTime: Double) -> QueueID {
        let micros = UInt64(max(0, unixTime) * 1_000_000)
        let time = String(micros, radix: 16, uppercase: true)
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: max(0, 14 - time.count)) + time
        return QueueID(padded + "-" + String(repeating: "0", count: 8 - random.count) + random)!
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = QueueID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad queue ID"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: QueueID, rhs: QueueID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}
