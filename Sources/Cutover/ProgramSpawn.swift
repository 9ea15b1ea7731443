import BlockingIO
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program started with posix_spawn(3) the way a shell would start it: an empty signal
/// mask, every signal at its default action, in a process group of its own, and only the
/// three standard descriptors open. The threads of this process (NIO's, the concurrency
/// pool's) block signals, and a child inherits the starting thread's mask and its ignored
/// signals: a daemon started by a `start_imap_command` would stay deaf to SIGTERM and keep
/// SIGPIPE ignored for its whole life. Foundation's `Process` offers no way to reset them.
enum ProgramSpawn {
    /// How the child ended: its exit status, or the signal that killed it.
    struct Ended: Equatable {
        var exitStatus: Int32?
        var signal: Int32?
    }

    /// Starts `argv` (an absolute program path first) with standard input, output and error
    /// opened from the given files. Returns the child's pid; throws the errno's text when it
    /// could not be started.
    static func spawn(_ argv: [String], standardInput: String, standardOutput: String, standardError: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        guard posix_spawnattr_init(&attributes) == 0 else { throw Failure(description: "posix_spawnattr_init failed") }
        defer { posix_spawnattr_destroy(&attributes) }
        guard posix_spawn_file_actions_init(&actions) == 0 else { throw Failure(description: "posix_spawn_file_actions_init failed") }
        defer { posix_spawn_file_actions_destroy(&actions) }

        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        var results = [
            posix_spawnattr_setsigmask(&attributes, &none),
            posix_spawnattr_setsigdefault(&attributes, &all),
            posix_spawnattr_setpgroup(&attributes, 0),
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)),
            posix_spawn_file_actions_addopen(&actions, 0, standardInput, O_RDONLY, 0),
            posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY, 0),
            posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY, 0),
        ]
        // Descriptors this process opened without close-on-exec (any library's) stay ours:
        // each one up to the highest open now is closed in the child (glibc skips those that
        // are not open by then).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        let highest = open.max() ?? getdtablesize()
        if highest >= 3 {
            for descriptor in 3...highest { results.append(posix_spawn_file_actions_addclose(&actions, descriptor)) }
        }
        if let failed = results.first(where: { $0 != 0 }) { throw Failure(description: String(cString: strerror(failed))) }

        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { strdup($0) } + [nil]
        defer { for pointer in arguments + variables { free(pointer) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, argv[0], &actions, &attributes, arguments, variables)
        guard status == 0 else { throw Failure(description: String(cString: strerror(status))) }
        return pid
    }

    /// Waits for the child `pid` to end and reaps it. waitpid(2) blocks, so it runs on the
    /// blocking-I/O pool (`io`), never on the concurrency pool; it names this pid only, so no
    /// other child's status is taken.
    static func wait(for pid: pid_t, on io: BlockingIO = BlockingIO()) async throws -> Ended {
        let status: Int32 = try await io.run {
            var status: Int32 = 0
            while true {
                if waitpid(pid, &status, 0) == pid { return status }
                guard errno == EINTR else { throw Failure(description: "waitpid(\(pid)): \(String(cString: strerror(errno)))") }
            }
        }
        // The wait status's low seven bits: 0 when the child exited, else the signal.
        let signal = status & 0x7f
        return signal == 0 ? Ended(exitStatus: (status >> 8) & 0xff) : Ended(signal: signal)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}
