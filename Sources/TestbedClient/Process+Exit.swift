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
}
