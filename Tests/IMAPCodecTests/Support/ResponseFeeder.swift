import IMAPCodec
import NIOCore

/// Feeds bytes to a ``ResponseParser`` the way a socket would, in chunks of a given size,
/// and collects the events. Consecutive `streamingBytes` are merged so that results do not
/// depend on how the input was split.
enum ResponseFeeder {
    enum Outcome: Equatable {
        /// All input was consumed into these events and no partial response is left.
        case complete([ResponseEvent])
        /// These events came out, then the parser needed more bytes.
        case incomplete([ResponseEvent])
        case failure(IMAPParseError)
    }

    /// `chunkSize` nil feeds everything at once.
    static func feed(
        _ input: [UInt8], chunkSize: Int? = nil, options: ResponseParserOptions = ResponseParserOptions(expectGreeting: false)
    ) -> Outcome {
        var parser = ResponseParser(options: options)
        var buffer = ByteBuffer()
        var events: [ResponseEvent] = []
        var offset = 0
        let step = chunkSize ?? max(input.count, 1)
        repeat {
            let end = min(input.count, offset + step)
            buffer.writeBytes(input[offset..<end])
            offset = end
            do {
                while let event = try parser.parse(&buffer) { events.append(event) }
            } catch {
                return .failure(error)
            }
        } while offset < input.count
        let merged = merge(events)
        return buffer.readableBytes == 0 && parser.isAtResponseBoundary ? .complete(merged) : .incomplete(merged)
    }

    static func feed(_ input: String, chunkSize: Int? = nil, options: ResponseParserOptions = ResponseParserOptions(expectGreeting: false)) -> Outcome {
        feed(Array(input.utf8), chunkSize: chunkSize, options: options)
    }

    /// Merges adjacent streamingBytes events.
    static func merge(_ events: [ResponseEvent]) -> [ResponseEvent] {
        var result: [ResponseEvent] = []
        for event in events {
            if case .fetch(.streamingBytes(let more)) = event, case .fetch(.streamingBytes(var bytes))? = result.last {
                bytes.writeImmutableBuffer(more)
                result[result.count - 1] = .fetch(.streamingBytes(bytes))
            } else {
                result.append(event)
            }
        }
        return result
    }

    /// `streamingBytes` for a string, for expectations.
    static func bytes(_ text: String) -> ResponseEvent { .fetch(.streamingBytes(ByteBuffer(string: text))) }
}
