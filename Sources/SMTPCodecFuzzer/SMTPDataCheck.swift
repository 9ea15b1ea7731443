import NIOCore
import SMTPCodec

/// The DATA decoder: the same message, violations and leftover whatever the split; and a
/// message it decodes without violations comes back unchanged through the encoder and the
/// decoder again (what the relay does with it).
enum SMTPDataCheck {
    struct Outcome: Equatable {
        var message = ByteBuffer()
        var ended = false
        var violations: SMTPDataDecoder.Violations = []
        var leftover = ByteBuffer()
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, chunk: Int) -> Outcome {
        var decoder = SMTPDataDecoder()
        var outcome = Outcome()
        feed(bytes, chunk: chunk) { buffer in
            // What follows the end of the data is the next command: kept, not decoded.
            if !outcome.ended, decoder.decode(&buffer, into: &outcome.message) == .endOfData { outcome.ended = true }
            if outcome.ended { outcome.leftover.writeImmutableBuffer(buffer) }
            buffer.clear()
            return true
        }
        outcome.violations = decoder.violations
        guard decoder.encodedByteCount == bytes.count - outcome.leftover.readableBytes,
              decoder.decodedByteCount == outcome.message.readableBytes
        else { fatalError("byte counts disagree with what was read and written: \(decoder)") }
        return outcome
    }

    @Sendable static func check(_ bytes: UnsafeBufferPointer<UInt8>) {
        agree(bytes) { decode(bytes, chunk: $0) }
        let first = decode(bytes, chunk: max(bytes.count, 1))
        guard first.ended, first.violations.subtracting(.lineTooLong).isEmpty else { return }
        var encoder = SMTPDataEncoder()
        var encoded = ByteBuffer()
        encoder.encode(first.message, into: &encoded)
        encoder.finish(into: &encoded)
        let again = Array(encoded.readableBytesView).withUnsafeBufferPointer { decode($0, chunk: 7) }
        guard again.ended, again.message == first.message, again.leftover.readableBytes == 0 else {
            fatalError("re-encoded message decodes differently: \(first.message) -> \(again)")
        }
    }
}
