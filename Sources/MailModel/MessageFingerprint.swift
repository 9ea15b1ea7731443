import Crypto

/// A message's identity: the SHA-256 of its exact bytes.
///
/// Headers are not identity (servers rewrite them, some mail has no Message-ID, two
/// different messages can share one); the bytes are. Two byte-identical messages in one
/// folder are still two messages: the fingerprint says "same content", the sync state
/// counts occurrences.
public struct MessageFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Initialize from 32 digest bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Initialize from 64 lowercase or uppercase hex digits.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = MessageFingerprint.nibble(utf8[index]), let low = MessageFingerprint.nibble(utf8[index + 1]) else {
                return nil
            }
            out.append(high << 4 | low)
            index += 2
        }
        self.bytes = out
    }

    /// The fingerprint of a complete message held in memory.
    public static func of<Bytes: Sequence>(_ message: Bytes) -> MessageFingerprint where Bytes.Element == UInt8 {
        var hasher = Hasher()
        hasher.update(Array(message))
        return hasher.finalize()
    }

    /// 64 lowercase hex digits.
    public var hex: String { LowercaseHex.string(bytes) }

    public var description: String { "sha256:" + hex }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return char - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Streaming computation: feed the body chunk by chunk as it arrives, so memory stays
    /// bounded whatever the message size.
    public struct Hasher {
        private var sha = SHA256()
        /// Bytes fed so far.
        public private(set) var byteCount: Int = 0

        public init() {}

        public mutating func update(_ chunk: [UInt8]) {
            chunk.withUnsafeBytes { update(bufferPointer: $0) }
        }

        public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
            sha.update(bufferPointer: bufferPointer)
            byteCount += bufferPointer.count
        }

        public func finalize() -> MessageFingerprint {
            MessageFingerprint(bytes: Array(sha.finalize()))!
        }
    }
}
