import MailModel
import NIOCore

/// Writes responses as a server would: the inverse of ``ResponseParser``. Used by tests
/// (roundtrips, scripted fake servers), the fuzzer's seeds and the parser benchmark.
public struct ResponseEncoder: Sendable {
    private var fetchItemCount = 0

    public init() {}

    /// The wire bytes of one event. FETCH events must come in parser order.
    public mutating func encode(_ event: ResponseEvent) -> ByteBuffer {
        var buffer = EncodeBuffer(isServer: true)
        switch event {
        case .greeting(let status, let text):
            buffer.writeRaw("* \(status.rawValue) ")
            buffer.writeResponseText(text)
            buffer.writeRaw("\r\n")
        case .untagged(let response):
            buffer.writeRaw("* ")
            buffer.writeUntagged(response)
            buffer.writeRaw("\r\n")
        case .tagged(let tagged):
            buffer.writeRaw("\(tagged.tag) \(tagged.status.rawValue) ")
            buffer.writeResponseText(tagged.text)
            buffer.writeRaw("\r\n")
        case .continuation(let text):
            buffer.writeRaw(text.isEmpty ? "+\r\n" : "+ \(text)\r\n")
        case .fetch(let fetch):
            writeFetch(fetch, into: &buffer)
        }
        return buffer.finishBytes()
    }

    /// All events, concatenated.
    public mutating func encode<S: Sequence>(_ events: S) -> ByteBuffer where S.Element == ResponseEvent {
        var all = ByteBuffer()
        for event in events {
            var bytes = encode(event)
            all.writeBuffer(&bytes)
        }
        return all
    }

    private mutating func writeFetch(_ event: FetchEvent, into buffer: inout EncodeBuffer) {
        switch event {
        case .start(let sequence):
            buffer.writeRaw("* \(sequence) FETCH (")
            fetchItemCount = 0
        case .attribute(let attribute):
            if fetchItemCount > 0 { buffer.writeRaw(" ") }
            fetchItemCount += 1
            buffer.writeFetchAttribute(attribute)
        case .streamingBegin(let kind, let byteCount):
            if fetchItemCount > 0 { buffer.writeRaw(" ") }
            fetchItemCount += 1
            buffer.writeRaw(ResponseEncoder.name(of: kind) + " ")
            buffer.writeLiteralHeader(byteCount: byteCount)
        case .streamingBytes(let bytes):
            buffer.writePayload(bytes)
        case .streamingEnd:
            break
        case .finish:
            buffer.writeRaw(")\r\n")
        }
    }

    static func name(of kind: StreamingKind) -> String {
        func origin(_ offset: Int?) -> String { offset.map { "<\($0)>" } ?? "" }
        switch kind {
        case .body(let section, let offset): return "BODY[\(section)]\(origin(offset))"
        case .binary(let part, let offset): return "BINARY[\(part.map(String.init).joined(separator: "."))]\(origin(offset))"
        case .rfc822: return "RFC822"
        case .rfc822Header: return "RFC822.HEADER"
        case .rfc822Text: return "RFC822.TEXT"
        }
    }
}
