import Foundation
import MailTestSupport
import Testing

/// The `mailferry` executable built next to the test bundle, run as a child process (for
/// kill -9 tests and the CLI's own behaviour).
struct MailferryProcess {
    static var executable: String? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("mailferry").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Starts `mailferry arguments`, output discarded to files in `logDirectory`;
    /// `exited` is called when it ends.
    static func start(_ arguments: [String], logDirectory: String, exited: (@Sendable () -> Void)? = nil) throws -> Process {
        guard let executable else { throw MailferryProcessError("the mailferry executable is not built next to the tests (swift build --build-tests)") }
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        #expect(FileManager.default.createFile(atPath: logDirectory + "/stdout", contents: nil), "could not create the test file")
        #expect(FileManager.default.createFile(atPath: logDirectory + "/stderr", contents: nil), "could not create the test file")
        process.standardOutput = FileHandle(forWritingAtPath: logDirectory + "/stdout")
        process.standardError = FileHandle(forWritingAtPath: logDirectory + "/stderr")
        if let exited { process.terminationHandler = { _ in exited() } }
        try process.run()
        return process
    }

    /// Runs to completion (bounded) and returns the exit status and standard output.
    static func run(_ arguments: [String], logDirectory: String, timeout: Duration = .seconds(300)) async throws -> (Int32, String) {
        let (exits, exit) = AsyncStream<Void>.makeStream()
        let process = try start(arguments, logDirectory: logDirectory) {
            exit.yield()
            exit.finish()
        }
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in exits {}
                return true
            }
            group.addTask {
                // The deadline for a hung run, not a wait for the exit (that is the stream).
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            if !first { exit.finish() }
            return first
        }
        guard finished else {
            kill(process.processIdentifier, SIGKILL)
            try await process.exited()
            throw MailferryProcessError("mailferry \(arguments.first ?? "") did not finish within \(timeout)")
        }
        try await process.exited()  // at once: the process has ended; this makes its status readable
        let output = (try? String(contentsOfFile: logDirectory + "/stdout", encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }
}

struct MailferryProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
