#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message's bytes in a file held open and read where they lie: a local Maildir's own
/// message file (no copy in memory or in a staging file between source and destination, so
/// a batch of them costs descriptors, not bytes), or a staged message's temporary file
/// (``TemporaryFile``). The descriptor is read with `pread`, so the file can be read more than
/// once (hashed when fetched, copied when appended), and it stays valid when the source
/// renames the file (a flag change) or removes it meanwhile.
public final class SourceFile: Sendable {
    public let path: String
    public let size: Int
    /// Open for reading, owned by this object: a reader that needs its own (an APPEND that
    /// reads on another thread) duplicates it.
    public let descriptor: Int32

    /// Takes ownership of `descriptor` (open for reading); it is closed when the last
    /// reference goes away. `size` is the file's size when it was opened.
    public init(descriptor: Int32, size: Int, path: String) {
        self.descriptor = descriptor
        self.size = size
        self.path = path
    }

    deinit { close(descriptor) }

    /// Consecutive chunks of the file's first `size` bytes, each at most `chunkSize`. A file
    /// that is shorter or longer than when it was opened is an error: Maildir files are
    /// never rewritten in place, so one that was is not the message that was listed.
    public func forEachChunk(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
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
