import Crypto
import Foundation

/// Writes one message into `tmp/`, then commits it into `queue/` durably: the path of a
/// message too large for a segment (`MailSpool.commit` takes the small ones), streamed to
/// disk as it arrives.
///
/// `commit()` is its only way into the queue: trailer, fsync(file), rename, fsync(directory).
/// Only after it returns may the SMTP server answer 250. A writer that is dropped, aborted,
/// or whose process dies leaves at most a file in `tmp/`, which recovery deletes: it was
/// never acknowledged. All methods block; call them off the event loops.
public final class SpoolWriter: @unchecked Sendable {  // all state behind `lock`
    struct State {
        var fd: Int32
        var hasher = SHA256()
        var bodyLength = 0
        var contains8Bit = false
        var finished = false
    }

    public let envelope: SpoolEnvelope
    let temporaryPath: String
    let queuePath: String
    /// The queue directory's shared fsync (group commit).
    let queueSync: DirectorySyncGroup
    private let lock = NSLock()
    private var state: State

    init(envelope: SpoolEnvelope, spool: MailSpool) throws {
        self.envelope = envelope
        temporaryPath = spool.path(.temporary, envelope.id, "msg")
        queuePath = spool.path(.queue, envelope.id, "msg")
        queueSync = spool.queueSync
        let fd = try SpoolFile.createExclusive(temporaryPath)
        state = State(fd: fd)
        do {
            try SpoolFile.writeAll(fd, try SpoolFormat.header(envelope), path: temporaryPath)
        } catch {
            abort()
            throw error
        }
    }

    deinit {
        abort()
    }

    /// Append message bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try withLock { (state) throws in
            precondition(!state.finished, "write after commit or abort")
            try SpoolFile.writeAll(state.fd, bytes, path: temporaryPath)
            state.hasher.update(bufferPointer: bytes)
            state.bodyLength += bytes.count
            if !state.contains8Bit, bytes.contains(where: { $0 >= 0x80 }) { state.contains8Bit = true }
        }
    }

    /// Append message bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { (raw) throws in try write(raw) }
    }

    /// Octets written so far.
    public var bodyLength: Int { withLock { $0.bodyLength } }

    /// Make the entry durable and visible in the queue. Returns its summary.
    @discardableResult
    public func commit() throws -> SpoolEntry {
        let (length, contains8Bit) = try withLock { (state) throws -> (Int, Bool) in
            precondition(!state.finished, "commit after commit or abort")
            state.finished = true
            let fd = state.fd
            let digest = state.hasher.finalize()
            do {
                try SpoolFile.writeAll(fd, SpoolFormat.trailer(bodyLength: state.bodyLength, digest: digest), path: temporaryPath)
                try SpoolFile.sync(fd, path: temporaryPath)
                SpoolFile.closeFile(fd)
                try SpoolFile.move(temporaryPath, queuePath)
                try queueSync.sync()
            } catch {
                SpoolFile.closeFile(fd)
                try? SpoolFile.remove(temporaryPath)
                throw error
            }
            return (state.bodyLength, state.contains8Bit)
        }
        return SpoolEntry(envelope: envelope, bodyLength: length, contains8Bit: contains8Bit,
                          states: Array(repeating: .pending, count: envelope.recipients.count), attempts: 0, nextAttemptAt: nil, held: false)
    }

    /// Drop the message: close and delete the temporary file. Safe to call more than once.
    public func abort() {
        withLock { state in
            guard !state.finished else { return }
            state.finished = true
            SpoolFile.closeFile(state.fd)
            try? SpoolFile.remove(temporaryPath)
        }
    }

    private func withLock<T>(_ body: (inout State) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
