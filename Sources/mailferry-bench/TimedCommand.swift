import Foundation

/// A program run under `/usr/bin/time -v`, so that every tool in a comparison is measured
/// the same way from the outside: wall time (our own clock around the process), peak RSS
/// and CPU time (GNU time's report of the process and its waited-for children).
struct TimedCommand {
    var label: String
    var program: String
    var arguments: [String]
    /// Added to the benchmark's own environment.
    var environment: [String: String] = [:]

    /// Runs to completion; output goes to files in `directory` (named after `label`), so a
    /// chatty tool can never block on a full pipe.
    func run(in directory: String) throws -> TimedRun {
        let base = (directory as NSString).appendingPathComponent(label.filter { $0.isLetter || $0.isNumber || $0 == "-" })
        let timeReport = base + ".time", stdoutPath = base + ".out", stderrPath = base + ".err"
        for path in [timeReport, stdoutPath, stderrPath] {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-v", "-o", timeReport, program] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let seconds = (ContinuousClock.now - started).benchSeconds
        let report = (try? String(contentsOfFile: timeReport, encoding: .utf8)) ?? ""
        let fields = Self.parse(report)
        return TimedRun(
            label: label, seconds: seconds, status: fields["Exit status"].flatMap { Int32($0) } ?? process.terminationStatus,
            maxRSSKilobytes: fields["Maximum resident set size (kbytes)"].flatMap { Int($0) } ?? 0,
            cpuSeconds: (fields["User time (seconds)"].flatMap(Double.init) ?? 0) + (fields["System time (seconds)"].flatMap(Double.init) ?? 0),
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
    }

    /// GNU time's `-v` report: one "\tName: value" per line.
    static func parse(_ report: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in report.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.range(of: ": ", options: .backwards) else { continue }
            fields[String(trimmed[..<colon.lowerBound])] = String(trimmed[colon.upperBound...])
        }
        return fields
    }
}
