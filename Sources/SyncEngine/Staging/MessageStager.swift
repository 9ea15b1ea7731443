#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import MailModel

/// The engine's ``MessageBodySink``: hashes every byte as it arrives and keeps messages up to
/// `memoryThreshold` bytes in memory, larger ones in a temporary file, so a 50 MB message
/// costs 64 KB of memory. Once the messages it holds in memory reach `memoryBudget` bytes,
/// further messages go to files too, whatever their size.
public final class MessageStager: MessageBodySink {
    /// How much of each message's start is kept for reports.
    public static let headerPrefixLimit = 8 * 1024

    private let temporaryDirectory: String
    private let memoryThreshold: Int
    private let memoryBudget: Int
    /// Bytes of staged and in-progress messages held in memory.
    private var memoryHeld = 0
    private var current: InProgress?
    /// The messages completed so far, in the order they arrived.
    public private(set) var staged: [StagedMessage] = []

    private struct InProgress {
        var uid: UID
        var size: Int
        var written = 0
        var hasher = MessageFingerprint.Hasher()
        var memory: [UInt8] = []
        var descriptor: Int32 = -1
        var path: String?
        var headerPrefix: [UInt8] = []
    }

    /// - Parameters:
    ///   - temporaryDirectory: where large messages are staged (created if missing).
    ///   - memoryThreshold: messages larger than this go to a file.
    ///   - memoryBudget: at most this many bytes of messages are held in memory at once.
    public init(temporaryDirectory: String, memoryThreshold: Int = 256 * 1024, memoryBudget: Int = .max) {
        self.temporaryDirectory = temporaryDirectory
        self.memoryThreshold = memoryThreshold
        self.memoryBudget = memoryBudget
    }

    deinit { discardCurrent() }

    /// Take the completed messages, leaving the stager empty.
    public func takeStaged() -> [StagedMessage] {
        defer {
            staged = []
            memoryHeld = current.map { $0.descriptor < 0 ? $0.size : 0 } ?? 0
        }
        return staged
    }

    public func begin(uid: UID, size: Int) throws {
        guard current == nil else { throw StagingError(.sequence, "message \(uid) began before the previous one ended") }
        guard size >= 0 else { throw StagingError(.sizeMismatch, "negative size for message \(uid)") }
        var progress = InProgress(uid: uid, size: size)
        if size > memoryThreshold || memoryHeld + size > memoryBudget {
            mkdir(temporaryDirectory, 0o700)
            var template = Array("\(temporaryDirectory)/msg-XXXXXX".utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else {
                throw StagingError(.io, "cannot create a temporary file in \(temporaryDirectory): errno \(errno)")
            }
            progress.descriptor = descriptor
            progress.path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } else {
            progress.memory.reserveCapacity(size)
            memoryHeld += size
        }
        current = progress
    }

    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard var progress = current else { throw StagingError(.sequence, "bytes outside a message") }
        current = nil
        guard progress.written + bytes.count <= progress.size else {
            current = progress
            throw StagingError(.sizeMismatch, "message \(progress.uid) is longer than its announced \(progress.size) bytes")
        }
        progress.hasher.update(bufferPointer: bytes)
        // A message in memory has its start in its body; only a file needs a copy.
        if progress.descriptor >= 0, progress.headerPrefix.count < MessageStager.headerPrefixLimit {
            let take = min(bytes.count, MessageStager.headerPrefixLimit - progress.headerPrefix.count)
            progress.headerPrefix.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
        }
        if progress.descriptor >= 0 {
            var offset = 0
            while offset < bytes.count {
                let count = write(progress.descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    current = progress
                    throw StagingError(.io, "cannot write a temporary file: errno \(errno)")
                }
                offset += count
            }
        } else {
            progress.memory.append(contentsOf: bytes)
        }
        progress.written += bytes.count
        current = progress
    }

    public func end() throws {
        guard let progress = current else { throw StagingError(.sequence, "end outside a message") }
        guard progress.written == progress.size else {
            throw StagingError(.sizeMismatch, "message \(progress.uid) ended after \(progress.written) of \(progress.size) bytes")
        }
        current = nil
        let body: StagedBody
        if let path = progress.path {
            body = .file(TemporaryFile(SourceFile(descriptor: progress.descriptor, size: progress.size, path: path)))
        } else {
            body = .memory(progress.memory)
        }
        staged.append(
            StagedMessage(uid: progress.uid, body: body, fingerprint: progress.hasher.finalize(), headerPrefix: progress.headerPrefix)
        )
    }

    /// A source's own file is held open, not copied: it is hashed here and read again when
    /// appended, and it counts against no memory budget.
    public func adopt(uid: UID, file: SourceFile) throws {
        guard current == nil else { throw StagingError(.sequence, "message \(uid) began before the previous one ended") }
        var hasher = MessageFingerprint.Hasher()
        var prefix: [UInt8] = []
        // 64 KiB stays under malloc's mmap threshold: no mapping made and dropped per message.
        try file.forEachChunk(chunkSize: 64 * 1024) { chunk in
            hasher.update(bufferPointer: chunk)
            if prefix.count < Self.headerPrefixLimit { prefix.append(contentsOf: chunk.prefix(Self.headerPrefixLimit - prefix.count)) }
        }
        staged.append(StagedMessage(uid: uid, body: .source(file), fingerprint: hasher.finalize(), headerPrefix: prefix))
    }

    /// Drop a message that was interrupted (the connection died mid-literal).
    public func discardCurrent() {
        guard let progress = current else { return }
        if progress.descriptor >= 0 { close(progress.descriptor) } else { memoryHeld -= progress.size }
        if let path = progress.path { unlink(path) }
        current = nil
    }
}
