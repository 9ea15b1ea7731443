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

    /// `ProcessExit` wakes on the exit of a process that is not this one's child (it went to
    /// the background, as Postfix's master does), and gives up at its bound while it runs.
    @Test(.timeLimit(.minutes(1)))
    func wakesOnTheExitOfAProcessThatIsNotAChild() async throws {
        let output = NSTemporaryDirectory() + "process-exit-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: output) }
        // posix_spawn, not Process: Foundation would wait for the background sleep too.
        let shell = try Spawn.start("/bin/sh", ["-c", "sleep 600 </dev/null >/dev/null 2>&1 & echo $!"], output: output)
        try await ProcessExit.wait(for: shell, "the shell to exit")
        var status: Int32 = -1
        #expect(waitpid(shell, &status, WNOHANG) == shell && status == 0)
        let pid = try #require(pid_t(try String(contentsOfFile: output, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }  // also when an expectation fails
        await #expect(throws: PollTimeout.self, "it still runs") {
            try await ProcessExit.wait(for: pid, "the background sleep", timeout: .milliseconds(100))
        }
        kill(pid, SIGTERM)
        try await ProcessExit.wait(for: pid, "the background sleep to exit")
    }

    /// A child's exit wakes the wait before the child is reaped; a pid nobody has any more
    /// returns at once.
    @Test(.timeLimit(.minutes(1)))
    func wakesOnTheExitOfAChildBeforeItIsReaped() async throws {
        let pid = try Spawn.start("/bin/sh", ["-c", "exit 3"], output: "/dev/null")
        try await ProcessExit.wait(for: pid, "the child to exit")
        var status: Int32 = 0
        #expect(waitpid(pid, &status, WNOHANG) == pid)
        #expect(status == 3 << 8)
        try await ProcessExit.wait(for: pid, "a reaped child", timeout: .seconds(1))
    }
}
