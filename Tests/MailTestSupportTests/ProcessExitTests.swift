import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import MailTestSupport
@testable import TestbedClient
import Testing

@Suite struct ProcessExitTests {
    /// More children than the cooperative pool has threads, each started
    /// and waited for by its own task, each ending only when the test closes its input, which
    /// the test does once every child has announced itself. Waiting for a child in
    /// `waitUntilExit()` would hold a thread per child, and the last ones would never start.
    @Test(.timeLimit(.minutes(1)))
    func moreChildProcessesThanThreadsWaitAtOnce() async throws {
        let count = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        let started = FileManager.default.temporaryDirectory.appendingPathComponent("process-exit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: started, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: started) }
        // One pipe per child, both ends closed on exec: a child gets its read end only as its
        // standard input, so closing the write end here is the end of its input.
        let pipes: [(read: Int32, write: Int32)] = try (0..<count).map { _ in
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw LineSocketError(peer: "pipe", what: "pipe() failed", errno: errno) }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            return (ends[0], ends[1])
        }
        let statuses = try await withThrowingTaskGroup(of: Int32?.self) { group in
            for (index, ends) in pipes.enumerated() {
                group.addTask {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/sh")
                    process.arguments = ["-c", "touch \"$0/$1\" && exec cat >/dev/null", started, "\(index)"]
                    process.standardInput = FileHandle(fileDescriptor: ends.read, closeOnDealloc: true)
                    try await process.runUntilExit()
                    return process.terminationStatus
                }
            }
            group.addTask {
                // Each child's `cat` sees the end and exits, also when the wait fails.
                defer { for ends in pipes { close(ends.write) } }
                _ = try await DirectoryWatch.until("\(count) children to start", in: started, timeout: .seconds(40)) { () -> Bool? in
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: started)) ?? []
                    return names.count >= count ? true : nil
                }
                return nil
            }
            return try await group.reduce(into: [Int32]()) { statuses, status in
                if let status { statuses.append(status) }
            }
        }
        #expect(statuses == Array(repeating: 0, count: count))
    }
}
