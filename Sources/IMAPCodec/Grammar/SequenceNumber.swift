/// A message sequence number (RFC 3501 §2.3.1.2): the 1-based position of a message in the
/// selected mailbox. Unlike a UID it shifts when messages are expunged.
public struct SequenceNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    /// `nil` for 0, which is never a valid sequence number.
    public init?(_ rawValue: UInt32) {
        guard rawValue != 0 else { return nil }
        self.rawValue = rawValue
    }

    public static func < (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}
