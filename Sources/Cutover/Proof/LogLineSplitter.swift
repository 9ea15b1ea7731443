/// Cuts a byte stream into lines (LF, with an optional CR before it), whatever the chunks:
/// a line split across reads, one byte at a time, is the same line. Bounded: a line longer
/// than `maxLineLength` is dropped up to its end and counted, so a log with a runaway line
/// costs no more memory than one line.
public struct LogLineSplitter: Sendable {
    public let maxLineLength: Int
    private var pending: [UInt8] = []
    private var discarding = false
    public private(set) var overlongLines = 0

    public init(maxLineLength: Int = 16_384) {
        self.maxLineLength = maxLineLength
    }

    /// Calls `body` with each complete line in `bytes` (without its line end).
    public mutating func feed(_ bytes: some Collection<UInt8>, _ body: (ArraySlice<UInt8>) -> Void) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if discarding {
                    discarding = false
                } else {
                    if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
                    body(pending[...])
                }
                pending.removeAll(keepingCapacity: true)
                continue
            }
            guard !discarding else { continue }
            if pending.count >= maxLineLength + 1 {
                discarding = true
                overlongLines += 1
                pending.removeAll(keepingCapacity: true)
                continue
            }
            pending.append(byte)
        }
    }

    /// The stream ended: a last line without its LF is still a line.
    public mutating func finish(_ body: (ArraySlice<UInt8>) -> Void) {
        if !discarding, !pending.isEmpty {
            if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
            body(pending[...])
        }
        pending.removeAll()
        discarding = false
    }
}
