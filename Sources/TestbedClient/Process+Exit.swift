import Foundation

extension Process {
    /// Starts the process and returns once it has exited (its status is then readable),
    /// woken by Foundation's termination handler. Tests call this instead of `run()` and
    /// `waitUntilExit()`, which would hold one of the cooperative pool's few threads for the
    /// whole run of the child and stall every other test of the process meanwhile.
    public func runUntilExit() async throws {
        try await withCheckedThrowingContinuation { (exited: CheckedContinuation<Void, any Error>) in
            terminationHandler = { _ in exited.resume() }
            do {
                try run()
            } catch {
                terminationHandler = nil
                exited.resume(throwing: error)
            }
        }
    }

    /// Returns once a process started elsewhere (with `run()`) has exited, waiting on a
    /// test-client thread (``LineSocket/blocking(_:)``), not on the caller's.
    public func exited() async throws {
        try await LineSocket.blocking { self.waitUntilExit() }
    }

    /// Runs the process to its end with standard output and error captured, reading both on
    /// a test-client thread (``LineSocket/blocking(_:)``). The outputs must be small (a few
    /// pages): they are read one after the other.
    public func runCollectingOutput() async throws -> (status: Int32, stdout: String, stderr: String) {
        let out = Pipe()
        let err = Pipe()
        standardOutput = out
        standardError = err
        return try await LineSocket.blocking {
            try self.run()
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            self.waitUntilExit()
            return (self.terminationStatus, stdout, stderr)
        }
    }

    /// Runs `program` with `arguments` to its end, its output discarded, waiting as
    /// ``runUntilExit()`` does; throws ``ProcessFailed`` unless it exits 0.
    public static func check(_ program: String, _ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try await process.runUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProcessFailed(description: "\(program) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}

/// A program run by ``Process/check(_:_:)`` exited with a status other than 0.
public struct ProcessFailed: Error, CustomStringConvertible, Sendable {
    public var description: String
}
