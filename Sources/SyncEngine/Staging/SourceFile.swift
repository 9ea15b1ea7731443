#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message file of the source's own, held open and read where it lies: a local Maildir's
/// message needs no copy in memory or in a staging file between source and destination,
/// so a batch of them costs descriptors, not bytes. The descriptor is read with `pread`,
/// so the file can be read more than once (hashed when fetched, copied when appended), and
/// it stays valid when the source renames the file (a flag change) or removes it meanwhile.
public final class SourceFile: Sendable {
    public let path: String
    public let size: Int
    private let descriptor: Int32

    /// Takes ownership of `descriptor` (open for reading); it is closed when the last
    /// reference goes away. `size` is the file's size when it was opened.
    public init(descriptor: Int32, size: Int, path: String) {
        self.descriptor = descriptor
        self.size = size
        self.path = path
    }

    deinit { close(descriptor) }

    /// Up to `maxBytes` bytes from `offset`, fewer only where the file ends.
    public func read(at offset: Int, maxBytes: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, maxBytes))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, $0.count - filled, off_t(offset + filled)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StagingError(.io, "cannot read \(path): errno \(errno)")
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Consecutive chunks of the file's first `size` bytes, each at most `chunkSize`. A file
    /// that is shorter or longer than when it was opened is an error: Maildir files are
    /// never rewritten in place, so one that was is not the message that was listed.
    func forEachChunk(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        // One more byte than the size is read at the end, to tell a file that grew.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, chunkSize), alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        while true {
            let want = offset < size ? min(buffer.count, size - offset) : 1
            let count = pread(descriptor, buffer.baseAddress, want, off_t(offset))
            if count < 0 {
                if errno == EINTR { continue }
                throw StagingError(.io, "cannot read \(path): errno \(errno)")
            }
            if count == 0 { break }
            guard offset < size else { throw StagingError(.sizeMismatch, "\(path) grew beyond its \(size) bytes while being copied") }
            offset += count
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        guard offset == size else { throw StagingError(.sizeMismatch, "\(path) is \(offset) bytes, expected \(size)") }
    }
}
