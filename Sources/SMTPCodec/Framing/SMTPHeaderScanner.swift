public import NIOCore

/// Watches decoded message content (CRLF lines) for the end of the header section, counting
/// its size and its `Received:` lines (RFC 5321 §6.3 loop detection).
public struct SMTPHeaderScanner: Hashable, Sendable {
    public private(set) var headerByteCount = 0
    public private(set) var receivedCount = 0
    public private(set) var isInHeader = true
    private var atLineStart = true
    private var prefix: [UInt8] = []
    private static let received = Array("received:".utf8)

    /// Initialize a scanner for one message.
    public init() {}

    /// Scan a chunk of decoded content.
    public mutating func scan(_ chunk: ByteBuffer) {
        guard isInHeader else { return }
        for byte in chunk.readableBytesView {
            headerByteCount += 1
            if atLineStart {
                if byte == 13 { continue }
                if byte == 10 && prefix.isEmpty {
                    isInHeader = false
                    return
                }
                atLineStart = false
            }
            if byte == 10 {
                atLineStart = true
                prefix.removeAll(keepingCapacity: true)
                continue
            }
            if prefix.count < Self.received.count {
                prefix.append((65...90).contains(byte) ? byte + 32 : byte)
                if prefix == Self.received { receivedCount += 1 }
            }
        }
    }
}
