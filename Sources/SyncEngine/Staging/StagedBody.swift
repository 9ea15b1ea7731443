#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message's exact bytes, held in memory when small and in a temporary file when large,
/// between the moment they were fetched and the moment the destination confirmed them; or,
/// from a local source, the source's own file, held open (``SourceFile``).
public enum StagedBody: Sendable {
    case memory([UInt8])
    case file(TemporaryFile)
    case source(SourceFile)

    /// The open file that holds the bytes (a staged message's or the source's own); nil in
    /// memory. Readers go through it, whichever kind of file it is.
    public var openFile: SourceFile? {
        switch self {
        case .memory: return nil
        case .file(let staged): return staged.file
        case .source(let file): return file
        }
    }

    /// The number of bytes.
    public var count: Int {
        if case .memory(let bytes) = self { return bytes.count }
        return openFile?.size ?? 0
    }

    /// Call `body` with consecutive chunks of the message, each at most `chunkSize` bytes,
    /// reading a file-backed body piece by piece so memory stays bounded.
    public func forEachChunk(chunkSize: Int = 64 * 1024, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let file = openFile { return try file.forEachChunk(chunkSize: chunkSize, body) }
        guard case .memory(let bytes) = self else { return }
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let end = min(offset + chunkSize, raw.count)
                try body(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))
                offset = end
            }
        }
    }

    /// All bytes in one array: only for small bodies and tests.
    public func readAll() throws -> [UInt8] {
        switch self {
        case .memory(let bytes): return bytes
        case .file, .source:
            var out: [UInt8] = []
            out.reserveCapacity(count)
            try forEachChunk { out.append(contentsOf: $0) }
            return out
        }
    }
}

/// A staged message's temporary file, held open (``SourceFile``) and removed when the last
/// reference goes away.
public final class TemporaryFile: Sendable {
    public let file: SourceFile
    public var path: String { file.path }
    public var size: Int { file.size }

    init(_ file: SourceFile) {
        self.file = file
    }

    deinit { unlink(file.path) }
}
