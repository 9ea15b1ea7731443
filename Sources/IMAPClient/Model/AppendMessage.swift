import IMAPCodec
import MailModel
import NIOCore
import NIOPosix

/// One message to APPEND: its flags, INTERNALDATE and a body source.
public struct AppendMessage {
    /// Flags and keywords to set (`\Recent` is never sent).
    public var flags: [Flag]
    /// The date to keep; `nil` lets the server use the time of the APPEND.
    public var internalDate: InternalDate?
    public var body: AppendBody

    public init(flags: [Flag] = [], internalDate: InternalDate? = nil, body: AppendBody) {
        self.flags = flags
        self.internalDate = internalDate
        self.body = body
    }
}

/// The bytes of a message to APPEND, read as they are sent. The byte count must be known
/// up front (it goes in the literal header); a source that gives more or fewer bytes makes
/// the APPEND fail with ``IMAPClientError/Kind/appendSizeMismatch(expected:actual:)`` and the
/// connection close, so the server stores nothing partial.
///
/// A body is consumed when it is sent: to send the same bytes again, make a new one.
public struct AppendBody {
    public let byteCount: Int
    let nextChunk: () async throws -> ByteBuffer?

    /// A body produced by `nextChunk` (nil at the end), `byteCount` bytes in all.
    public init(byteCount: Int, nextChunk: @escaping () async throws -> ByteBuffer?) {
        precondition(byteCount >= 0)
        self.byteCount = byteCount
        self.nextChunk = nextChunk
    }

    /// The next chunk, as the APPEND would read it (for tests of body sources).
    public func nextChunkForTesting() async throws -> ByteBuffer? { try await nextChunk() }

    /// A message held in memory.
    public static func bytes(_ buffer: ByteBuffer) -> AppendBody {
        var remaining: ByteBuffer? = buffer
        return AppendBody(byteCount: buffer.readableBytes) {
            defer { remaining = nil }
            return remaining
        }
    }

    /// A message from any async sequence of chunks.
    public static func stream<Chunks: AsyncSequence>(byteCount: Int, _ chunks: Chunks) -> AppendBody where Chunks.Element == ByteBuffer {
        var iterator = chunks.makeAsyncIterator()
        return AppendBody(byteCount: byteCount) { try await iterator.next() }
    }

    /// A message read from a file in 64 KB chunks (on NIO's thread pool, not blocking the
    /// caller's executor). The file must not change while it is sent. It is opened only when
    /// its first chunk is needed and closed at its end, or when the body is dropped unsent
    /// (a refused or cut APPEND), so a batch of large messages never holds many files open.
    public static func file(path: String) async throws -> AppendBody {
        let source = try AppendFileSource(path: path)
        return AppendBody(byteCount: source.size) { try await source.next() }
    }

    /// The first `size` bytes of a file the caller holds open (a renamed or removed file
    /// still reads): read from a duplicate of `descriptor`, so the caller's stays its own.
    public static func file(descriptor: CInt, size: Int, path: String) throws -> AppendBody {
        let source = try AppendFileSource(duplicating: descriptor, size: size, path: path)
        return AppendBody(byteCount: size) { try await source.next() }
    }
}

/// What the server said about one APPEND.
public struct AppendResult: Hashable, Sendable {
    /// From APPENDUID (RFC 4315) when the server has UIDPLUS.
    public var uidValidity: UIDValidity?
    /// The UIDs the stored message(s) got (one per message; several for MULTIAPPEND).
    public var uids: [UID]

    public init(uidValidity: UIDValidity?, uids: [UID]) {
        self.uidValidity = uidValidity
        self.uids = uids
    }

    /// The APPENDUID of a completion for `messageCount` messages. A code that names another
    /// number of UIDs (or `*`) cannot be matched to the messages and is ignored, so a hostile
    /// `[APPENDUID 1 1:4294967294]` costs nothing.
    init(_ response: TaggedResponse, messageCount: Int) {
        if case .appendUID(let validity, let set)? = response.text.code, set.count == messageCount,
            !set.ranges.contains(where: { $0.upperBound == UInt32.max })
        {
            self.init(uidValidity: validity, uids: set.uids)
        } else {
            self.init(uidValidity: nil, uids: [])
        }
    }
}
