import NIOCore

/// Feeds `bytes` to `consume` in pieces of `chunk` octets through one growing buffer, as a
/// channel handler does.
func feed(_ bytes: UnsafeBufferPointer<UInt8>, chunk: Int, _ consume: (inout ByteBuffer) -> Bool) {
    var buffer = ByteBuffer()
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[offset..<end]))
        offset = end
        guard consume(&buffer) else { return }
    }
}

func agree<T: Equatable>(_ bytes: UnsafeBufferPointer<UInt8>, _ run: (Int) -> T) {
    let whole = run(max(bytes.count, 1))
    let pieces = run(3)
    let single = run(1)
    guard whole == pieces, whole == single else {
        fatalError("split-dependent result: \(whole) / \(pieces) / \(single)")
    }
}
