import Glibc
import MailModel

/// Streams one message into a file in a Maildir's `tmp/`, chunk by chunk, with bounded
/// memory, computing on the way what the destination needs to know: the physical size
/// (`,S=`), the CRLF size (`,W=`, RFC822.SIZE) and, if asked, the SHA-256 fingerprint.
///
/// ``finish(modificationTime:)`` makes the file durable (fsync) and gives it its date and
/// owner; only then may it be renamed into `cur/` or `new/`. A writer that is neither
/// finished nor aborted removes its file when released.
public final class MessageFileWriter {
    public let temporaryPath: String
    private var fd: Int32
    private let ownership: MaildirOwnership
    private var hasher: MessageFingerprint.Hasher?
    private let countsLineFeeds: Bool
    private let syncsOnFinish: Bool
    private var lastByte: UInt8 = 0
    public private(set) var size: Int64 = 0
    /// Line feeds not preceded by a carriage return: the CRLF size is `size + bareLineFeeds`.
    public private(set) var bareLineFeeds: Int64 = 0
    private var state: State = .open

    enum State { case open, finished, aborted }

    /// Create the file (it must not exist). With `syncOnFinish` false the file is not
    /// fsynced; its owner must flush the file system before making it visible.
    public init(
        temporaryPath: String, ownership: MaildirOwnership, computeFingerprint: Bool = false, computeVirtualSize: Bool = true,
        syncOnFinish: Bool = true
    ) throws(MaildirError) {
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(ownership.fileMode))
        guard fd >= 0 else { throw FileSystem.error("open", temporaryPath) }
        self.fd = fd
        self.temporaryPath = temporaryPath
        self.ownership = ownership
        self.hasher = computeFingerprint ? MessageFingerprint.Hasher() : nil
        self.countsLineFeeds = computeVirtualSize
        self.syncsOnFinish = syncOnFinish
    }

    /// Append a chunk.
    public func write(_ chunk: UnsafeRawBufferPointer) throws(MaildirError) {
        guard state == .open else { throw MaildirError(.invalidArgument, path: temporaryPath, detail: "write after finish or abort") }
        guard chunk.count > 0 else { return }
        account(chunk)
        try FileSystem.writeAll(fd, chunk, path: temporaryPath)
    }

    public func write(_ chunk: [UInt8]) throws(MaildirError) {
        guard state == .open else { throw MaildirError(.invalidArgument, path: temporaryPath, detail: "write after finish or abort") }
        guard !chunk.isEmpty else { return }
        chunk.withUnsafeBytes { account($0) }
        try FileSystem.writeAll(fd, chunk, path: temporaryPath)
    }

    private func account(_ chunk: UnsafeRawBufferPointer) {
        size += Int64(chunk.count)
        hasher?.update(bufferPointer: chunk)
        guard countsLineFeeds else { return }
        bareLineFeeds += Self.bareLineFeeds(in: chunk, after: lastByte)
        if let last = chunk.last { lastByte = last }
    }

    /// Line feeds in `chunk` not preceded by a carriage return; `previous` is the byte before
    /// the chunk. This runs over every byte of every message written, so memchr jumps from
    /// line feed to line feed instead of testing each byte.
    static func bareLineFeeds(in chunk: UnsafeRawBufferPointer, after previous: UInt8) -> Int64 {
        guard let base = chunk.baseAddress else { return 0 }
        var bare: Int64 = 0
        var offset = 0
        while offset < chunk.count, let found = memchr(base + offset, 0x0A, chunk.count - offset) {
            let index = base.distance(to: UnsafeRawPointer(found))
            if (index == 0 ? previous : chunk[index - 1]) != 0x0D { bare += 1 }
            offset = index + 1
        }
        return bare
    }

    /// Append a whole file (e.g. the source message), reading it in chunks.
    public func append(contentsOf path: String, chunkSize: Int = 256 * 1024) throws(MaildirError) {
        let reader = try MessageFileReader(path: path)
        defer { reader.close() }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = try reader.read(into: &buffer)
            if count == 0 { break }
            guard state == .open else { throw MaildirError(.invalidArgument, path: temporaryPath, detail: "write after finish or abort") }
            buffer.withUnsafeBytes { account(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            try FileSystem.writeAll(fd, buffer[0..<count], path: temporaryPath)
        }
    }

    /// Make the file durable: owner and mode, modification time (INTERNALDATE), fsync.
    public func finish(modificationTime: Int64? = nil) throws(MaildirError) -> WrittenMessage {
        guard state == .open else { throw MaildirError(.invalidArgument, path: temporaryPath, detail: "finished twice") }
        do throws(MaildirError) {
            try ownership.apply(descriptor: fd, path: temporaryPath)
            if let modificationTime {
                var times = [timespec(tv_sec: Int(modificationTime), tv_nsec: 0), timespec(tv_sec: Int(modificationTime), tv_nsec: 0)]
                guard futimens(fd, &times) == 0 else { throw FileSystem.error("futimens", temporaryPath) }
            }
            if syncsOnFinish {
                guard fsync(fd) == 0 else { throw FileSystem.error("fsync", temporaryPath) }
            }
            let result = close(fd)
            fd = -1
            guard result == 0 else { throw FileSystem.error("close", temporaryPath) }
        } catch {
            abort()
            throw error
        }
        state = .finished
        return WrittenMessage(
            temporaryPath: temporaryPath, size: size, virtualSize: countsLineFeeds ? size + bareLineFeeds : nil,
            fingerprint: hasher?.finalize(), isDurable: syncsOnFinish)
    }

    /// Drop the file.
    public func abort() {
        guard state == .open else { return }
        state = .aborted
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(temporaryPath)
    }

    deinit { abort() }
}
