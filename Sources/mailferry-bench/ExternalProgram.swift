import Foundation

/// A helper program (smtp-source, smtp-sink, scripts/testbed) run by a benchmark.
enum ExternalProgram {
    /// Run to completion; throws with the program's stderr on failure.
    @discardableResult
    static func run(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("\(path) \(arguments.joined(separator: " ")) failed: \(String(decoding: error, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Run to completion; returns the exit status and both outputs (read from files, so a
    /// large output cannot block the program).
    static func capture(_ path: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let directory = NSTemporaryDirectory() + "mailferry-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outPath = directory + "/out", errPath = directory + "/err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// A command prefix that runs the rest of argv with an empty signal mask and SIGTERM,
    /// SIGHUP, SIGINT and SIGPIPE at their default actions, as an init system would start it:
    /// a child inherits the signals this process's threads block, SIGTERM among them, and a
    /// server started with it blocked would never stop.
    static let withDefaultSignals = [
        "/usr/bin/perl", "-MPOSIX", "-e",
        #"sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die "sigprocmask: $!"; $SIG{$_} = "DEFAULT" for qw(TERM HUP INT PIPE); exec @ARGV or die "exec: $!""#,
    ]

    /// Start in the background (the caller terminates it), through ``withDefaultSignals``: a
    /// server that inherited this process's blocked SIGTERM would outlive the benchmark.
    static func start(_ path: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: withDefaultSignals[0])
        process.arguments = Array(withDefaultSignals.dropFirst()) + [path] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
