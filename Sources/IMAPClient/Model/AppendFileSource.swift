#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlockingIO
import NIOCore
import IMAPCodec
import NIOPosix

/// The chunks of a file for ``AppendBody/file(path:)`` (opened lazily) or
/// ``AppendBody/file(descriptor:size:path:)``; closed at the end or when dropped. Used by one
/// APPEND at a time, hence the unchecked `Sendable`.
final class AppendFileSource: @unchecked Sendable {
    let path: String
    let size: Int
    private var handle: NIOFileHandle?
    private var offset = 0
    private var finished = false
    private let fileIO = NonBlockingFileIO(threadPool: .singleton)

    init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw IMAPClientError(.invalidArgument(CommandEncodingError(.invalidArgument("cannot read the message file (errno \(errno))"), field: "APPEND \(path)")))
        }
        self.path = path
        self.size = Int(info.st_size)
    }

    /// A file already open: `descriptor` is duplicated, and the duplicate is closed at the end.
    init(duplicating descriptor: CInt, size: Int, path: String) throws {
        let duplicate = dup(descriptor)
        guard duplicate >= 0 else {
            throw IMAPClientError(.invalidArgument(CommandEncodingError(.invalidArgument("cannot read the message file (errno \(errno))"), field: "APPEND \(path)")))
        }
        self.path = path
        self.size = size
        handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: duplicate)
    }

    deinit {
        try? handle?.close()
    }

    func next() async throws -> ByteBuffer? {
        guard !finished else { return nil }
        guard offset < size else {
            finish()
            return nil
        }
        if handle == nil {
            let path = self.path
            handle = try await BlockingIO().run { try NIOFileHandle(_deprecatedPath: path, mode: .read) }
        }
        let chunk = try await fileIO.read(
            fileHandle: handle!, fromOffset: Int64(offset), byteCount: min(64 * 1024, size - offset), allocator: ByteBufferAllocator())
        guard chunk.readableBytes > 0 else {
            finish()
            return nil
        }
        offset += chunk.readableBytes
        return chunk
    }

    private func finish() {
        finished = true
        try? handle?.close()
        handle = nil
    }
}
