import Cutover
import Foundation
import Testing

struct LocalHostTests {
    @Test func everyCommandAndItsOutputIsLogged() async throws {
        let transcript = CommandTranscript()
        let host = LocalHost(log: transcript)
        let output = try await host.check(["/bin/cat"], input: Array("held\n".utf8))
        #expect(output.standardOutput == "held\n")
        _ = try await host.run(HostCommand(["/bin/sh", "-c", "echo oops >&2; exit 3"]))
        #expect(transcript.commands == ["local$ /bin/cat", "local$ /bin/sh -c 'echo oops >&2; exit 3'"])
        #expect(transcript.outputs.map(\.status) == [0, 3])
        #expect(transcript.outputs.last?.standardError == "oops\n")
    }

    @Test func aFailingCommandIsAnErrorNamingIt() async throws {
        let host = LocalHost()
        await #expect(throws: CutoverError.self) { try await host.check(["/bin/false"]) }
        do {
            try await host.check(["/bin/sh", "-c", "echo 'postfix: fatal: bad' >&2; exit 1"])
            Issue.record("no error")
        } catch let error as CutoverError {
            #expect(error.description == "local: `/bin/sh -c 'echo '\\''postfix: fatal: bad'\\'' >&2; exit 1'` failed (exit 1): postfix: fatal: bad")
        }
    }

    @Test func aCommandThatHangsIsKilledAtItsTimeout() async throws {
        let host = LocalHost()
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: CutoverError.timedOut(host: "local", command: "/bin/sleep 30", after: .seconds(1))) {
            _ = try await host.run(HostCommand(["/bin/sleep", "30"], timeout: .seconds(1)))
        }
        // timeout(1)'s SIGTERM at 1 s ends it: the child does not inherit the test runner's
        // blocked SIGTERM (else only the SIGKILL 5 s later would), with room for a loaded machine.
        #expect(start.duration(to: clock.now) < .seconds(5))
    }

    /// A child starts as a shell starts it, whatever this process's threads block or ignore
    /// (NIO's and the concurrency pool's threads block signals): a daemon a
    /// `start_imap_command` starts must still end on SIGTERM.
    @Test func childrenStartWithNoSignalBlockedOrIgnored() async throws {
        let host = LocalHost()
        let status = try await host.check(["/bin/grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"]).standardOutput
        let masks = Dictionary(uniqueKeysWithValues: status.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t")
            return (String(fields[0]), UInt64(fields.last ?? "", radix: 16) ?? .max)
        })
        #expect(masks["SigBlk:"] == 0, "\(status)")
        // glibc's posix_spawn leaves its own two internal signals (32 and 33, below SIGRTMIN)
        // ignored in every child; no program can use them.
        #expect(masks["SigIgn:"].map { $0 & ~0x1_8000_0000 } == 0, "\(status)")
        let terminated = try await host.run(HostCommand(["/bin/sh", "-c", "kill -TERM $$; echo survived"]))
        #expect(terminated.standardOutput.isEmpty && terminated.status == SIGTERM, "\(terminated)")
    }

    /// A drain runs commands for days: each must give back the descriptors it opened.
    @Test func commandsLeaveNoDescriptorOpen() async throws {
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory() + "mailferry-localhost-fds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let host = LocalHost(scratchDirectory: scratch)
        for _ in 0..<5 { try await host.check(["/bin/true"]) }
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        let open = fds.filter { ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) ?? "").hasPrefix(scratch.path) }
        #expect(open.isEmpty)
    }

    @Test func outputLargerThanAPipeDoesNotBlock() async throws {
        let output = try await LocalHost().check(["/usr/bin/head", "-c", "1000000", "/dev/zero"])
        #expect(output.standardOutput.utf8.count == 1_000_000)
    }

    @Test func filesAreWrittenReadAndRemoved() async throws {
        let host = LocalHost()
        let path = NSTemporaryDirectory() + "mailferry-localhost-\(UUID().uuidString)"
        #expect(try await host.readFile(path) == nil)
        try await host.writeFile(path, Array("one".utf8), permissions: 0o600)
        try await host.writeFile(path, Array("two".utf8), permissions: 0o600)
        #expect(try await host.readFile(path) == Array("two".utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        try await host.removeFile(path)
        try await host.removeFile(path)
        #expect(try await host.readFile(path) == nil)
    }
}
