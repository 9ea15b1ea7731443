// libFuzzer entry point over the PROXY v2 header decoder.
//
// Built and run by `scripts/fuzz proxy-v2`; replayed in a plain build with
// `swift run ProxyProtocolFuzzer proxy-v2 crash-1234` (see FuzzerDriver).
//
// Differential as well as a crash search: the input is decoded all at once, in 3-byte
// pieces and one byte at a time, and all three must give the same header (or the same
// error) and leave the same bytes behind. A decoded header must survive encoding: the
// encoder accepts it and the decoder reads the encoding back as the same header.
import FuzzerSupport
import NIOCore
import ProxyProtocol

enum Outcome: Equatable {
    case header(ProxyHeader, rest: Int)
    case incomplete
    case failed(ProxyHeaderError)
}

/// A limit below the 64 KiB maximum, so the fuzzer reaches it.
let decoder = ProxyHeaderDecoder(limit: 1024)

func decode(_ bytes: UnsafeBufferPointer<UInt8>, chunk: Int) -> Outcome {
    var buffer = ByteBuffer()
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[offset..<end]))
        offset = end
        do {
            if let header = try decoder.decode(&buffer) {
                return .header(header, rest: buffer.readableBytes + (bytes.count - offset))
            }
        } catch {
            return .failed(error)
        }
    }
    return .incomplete
}

@Sendable func check(_ bytes: UnsafeBufferPointer<UInt8>) {
    let whole = decode(bytes, chunk: max(bytes.count, 1))
    let pieces = decode(bytes, chunk: 3)
    let single = decode(bytes, chunk: 1)
    guard whole == pieces, whole == single else {
        fatalError("split-dependent result: \(whole) / \(pieces) / \(single)")
    }
    guard case .header(let header, _) = whole else { return }
    do {
        var encoded = ByteBuffer()
        try header.encode(into: &encoded)
        guard try ProxyHeaderDecoder(limit: ProxyHeader.maximumLength).decode(&encoded) == header, encoded.readableBytes == 0 else {
            fatalError("re-encoded header decodes differently: \(header)")
        }
    } catch {
        fatalError("a decoded header does not encode: \(header): \(error)")
    }
}

let targets = [FuzzTarget("proxy-v2", check: check)]
