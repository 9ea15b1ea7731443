import Foundation
import Synchronization

/// A child process's standard error, read as it comes (and drained until it exits, so the
/// child never blocks on a full pipe); each read wakes ``waitFor(_:timeout:)``. For tests
/// that run mailferry's own binary and wait for what it logs.
public final class ChildProcessLog: Sendable {
    private let state = Mutex((text: "", ended: false))
    private let changes = ChangeSignal()

    /// Everything read so far.
    public var text: String { state.withLock { $0.text } }

    /// A process for `executable` and `arguments` whose standard error this log reads (its
    /// standard output is discarded), started.
    public static func start(_ executable: String, _ arguments: [String]) throws -> (Process, ChildProcessLog) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardError = pipe
        let log = ChildProcessLog()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            log.append(data)
        }
        try process.run()
        return (process, log)
    }

    func append(_ data: Data) {
        state.withLock {
            $0.text += String(decoding: data, as: UTF8.self)
            if data.isEmpty { $0.ended = true }
        }
        changes.signal()
    }

    /// Returns once the log contains `line`; throws ``ChildProcessEnded`` if the child closes
    /// its standard error first, ``PollTimeout`` after `timeout` (a bound, not a delay).
    public func waitFor(_ line: String, timeout: Duration = .seconds(60)) async throws {
        _ = try await changes.until("the child to log \(line)", timeout: timeout) { () -> Bool? in
            let (text, ended) = state.withLock { ($0.text, $0.ended) }
            if text.contains(line) { return true }
            if ended { throw ChildProcessEnded(description: "the child ended before it logged \"\(line)\": \(text)") }
            return nil
        }
    }
}

/// The child closed its standard error (it exited) before logging what was waited for.
public struct ChildProcessEnded: Error, CustomStringConvertible, Sendable {
    public var description: String
}
