// libFuzzer entry point over the IMAP response parser.
//
// Built and run by `scripts/fuzz imap`; replayed in a plain build with
// `swift run IMAPCodecFuzzer imap crash-1234` (see FuzzerDriver).
//
// The check is differential as well as a crash search: the input is parsed all at once,
// in 3-byte pieces and one byte at a time, and all three must give the same events and the
// same error. A difference is a framing bug (a CR/LF or literal split across reads) and
// aborts like a crash, so libFuzzer keeps the input.
import FuzzerSupport
import IMAPCodec
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small limits, so that the fuzzer reaches them and any unbounded growth shows up as an
/// RSS-limit failure.
let fuzzOptions = ResponseParserOptions(
    lineLengthLimit: 16 * 1024, literalSizeLimit: 4096, streamedLiteralSizeLimit: 1 << 20, nestingDepthLimit: 16, bodyChunkSize: 512
)

enum Outcome: Equatable {
    case events([ResponseEvent], IMAPParseError.Kind?)
}

func parse(_ bytes: UnsafeBufferPointer<UInt8>, chunk: Int, greeting: Bool) -> Outcome {
    var options = fuzzOptions
    options.expectGreeting = greeting
    var parser = ResponseParser(options: options)
    var buffer = ByteBuffer()
    var events: [ResponseEvent] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[offset..<end]))
        offset = end
        do {
            while let event = try parser.parse(&buffer) {
                if case .fetch(.streamingBytes(let more)) = event, case .fetch(.streamingBytes(var previous))? = events.last {
                    previous.writeImmutableBuffer(more)
                    events[events.count - 1] = .fetch(.streamingBytes(previous))
                } else {
                    events.append(event)
                }
            }
        } catch {
            return .events(events, error.kind)
        }
    }
    return .events(events, nil)
}

@Sendable func check(_ bytes: UnsafeBufferPointer<UInt8>) {
    // The first byte picks greeting mode, so both paths are explored.
    let greeting = (bytes.first ?? 0) & 1 == 1
    let whole = parse(bytes, chunk: max(bytes.count, 1), greeting: greeting)
    let pieces = parse(bytes, chunk: 3, greeting: greeting)
    let single = parse(bytes, chunk: 1, greeting: greeting)
    guard whole == pieces, whole == single else {
        fatalError("split-dependent result: \(whole) / \(pieces) / \(single)")
    }
}

let targets = [FuzzTarget("imap", check: check)]
